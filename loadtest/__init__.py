"""A bounded quarter-end load test against the production server set-up on 127.0.0.1 (`make loadtest`)."""
