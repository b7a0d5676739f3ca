"""Checking a project: the five layers of `portal check` and what each finds."""
