"""HTTP routes: translate requests into Matcher calls and engine errors into HTTP errors."""
