"""What the routes and pages do, as functions: the transactions live here.

`service.api` (HTTP) and `service.web` (pages) check who is calling and translate; they open
no session and write no SQL. Refusals are the exceptions of `service.errors`.
"""
