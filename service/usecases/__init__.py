"""What the routes and pages do, as functions: the transactions live here.

Each use case a route or page runs declares who may run it, once, where it is defined
(`@allowed(Role.coordinator, …)`, `service.usecases.rules`); a route's principal dependency is
read from those roles (`caller(use_case)`), and a page calls the use case with its own caller.
`service.api` (HTTP) and `service.web` (pages) translate; they open no session and write no SQL.
Refusals are the exceptions of `service.errors`, shown alike over HTTP and on pages.
"""
