"""Shared plumbing: database, extensions, errors, permissions, audit trail and mail outbox."""
