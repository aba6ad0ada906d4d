"""Accounts: registration, confirmation, log-in, password reset, profile, roles."""
