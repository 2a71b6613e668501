"""Signing in: lockout, two-factor codes, sessions, OpenID Connect and the ESIA adapter (docs/esia.md)."""
