"""mkdocs-macros module: the macros pages call. They are registered, and rendered, by
partner_portal.site.macros; nothing is decided here."""

from partner_portal.site.macros import define_env, on_pre_page_macros

__all__ = ["define_env", "on_pre_page_macros"]
