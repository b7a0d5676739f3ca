"""The live preview (`make serve`): noticing an edit sooner, and rebuilding less.

MkDocs 1.x rebuilds the whole site after any edit, reloading its configuration, the hooks
and the theme. What a rebuild can keep from the one before is kept here, in a module the
hooks import once for the life of the preview:

* the theme's templates compiled to bytecode (Jinja checks each against its source), so a
  rebuild does not compile the theme again, for its pages or for the search's words;
* each page's template code (its macros, compiled), by its text;
* each page's HTML, by its Markdown (after its macros ran) and the site's pages: a page an
  edit did not change is not converted again (while previewing only; `portal build`
  converts every page);
* each page's search entries, by its HTML, address, title, headings and front matter: a
  page an edit did not change is not parsed for the search index again;
* the watcher: MkDocs polls the watched folders twice a second; the preview polls ten times
  a second, so an edit is noticed a few hundredths of a second after it is saved.
"""

from __future__ import annotations

import logging
import marshal
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, Template, nodes
from jinja2.bccache import Bucket

from ..core.memo import SWITCH, Memo

POLLING_SECONDS = 0.1
# What is kept of each page, for as many pages as a large program has (a scale-100 project
# has 2,124): answers are kept for the most recently used, and a rebuild visits every page
# in the same order, so a site of more pages than are kept would find none of them.
PAGES_KEPT = 2500


class CompiledTemplates(BytecodeCache):
    """Compiled templates by name and source checksum, in memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the template's source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED: dict[tuple, CompiledTemplates] = {}  # by the environment's syntax settings


def compiled_templates(env: Environment) -> CompiledTemplates:
    """The compiled templates kept for environments with `env`'s syntax settings (Jinja's
    key for a template is its name, file and text, not the delimiters it was read with)."""
    return _COMPILED.setdefault(_syntax(env), CompiledTemplates())


def compiling_once(get_env: Callable[[], Environment]) -> Callable[[], Environment]:
    """The theme's `get_env`, its environments sharing compiled templates: a rebuild of the live
    preview makes new ones (for the pages, and for the search's words in the site's
    language), and would compile every template again."""

    def with_compiled_templates() -> Environment:
        env = get_env()
        env.bytecode_cache = compiled_templates(env)
        env.template_class = _KeptPages
        return env

    return with_compiled_templates


def quicker_server(server: Any) -> Any:
    """A live-reload server like `server` (the engine's own, MkDocs' or ProperDocs', not
    started yet) that polls the watched folders every POLLING_SECONDS, watching what
    `server` watches."""
    host, port = server.server_address[:2]
    quicker = type(server)(builder=server.builder, host=host, port=port, root=server.root,
                           mount_path=server.mount_path, polling_interval=POLLING_SECONDS)
    quicker.error_handler = server.error_handler
    for path in getattr(server, "_watched_paths", {}):
        quicker.watch(path)
    server.server_close()
    return quicker


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_RENDERED = Memo(size=PAGES_KEPT)  # pages' HTML, while the process keeps answers (core/memo.py)


def remember_rendering(page: Any) -> None:
    """Make `page.render` (MkDocs' Markdown conversion) reuse the HTML it made for the same
    Markdown, page address, site pages and Markdown settings in an earlier rebuild. A
    conversion that warned (a broken link, say) is not kept, so the warning is shown again."""
    convert = page.render

    def render(config: Any, files: Any) -> None:
        key = (page.file.src_uri, page.file.dest_uri, page.markdown, _pages_of(files),
               repr(config["markdown_extensions"]), repr(config["mdx_configs"]))
        kept = _RENDERED.kept(key)
        if kept is not None:
            page.content, page.toc, page._title_from_render, page.present_anchor_ids, links = kept
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): found for uri, found in links.items()}
            return
        warnings = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(warnings)
        try:
            convert(config, files)
        finally:
            logger.removeHandler(warnings)
        if not warnings.count:
            links = getattr(page, "links_to_anchors", None)
            _RENDERED.keep(key, (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                                 None if links is None else {f.src_uri: a for f, a in links.items()}))

    page.render = render


_PAGE_CODE = Memo(size=PAGES_KEPT)  # pages' template code, marshalled, by their text


def page_template(env: Environment, source: str, tree: nodes.Template) -> Template:
    """`env.from_string(tree)` for a page's macros (`tree` parsed from `source`), its code
    kept by the page's text and the syntax settings: a page an edit did not change is not
    compiled again. Jinja works out a filter or test on constant text as it compiles, with
    the filters of that build (some are made anew each build), so the code of a page that
    uses a filter or a test is not kept."""
    keep = tree.find(nodes.Filter) is None and tree.find(nodes.Test) is None
    key = (source, _syntax(env))
    kept = _PAGE_CODE.kept(key) if keep else None
    code = marshal.loads(kept) if kept is not None else env.compile(tree)
    if keep and kept is None:
        _PAGE_CODE.keep(key, marshal.dumps(code))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _syntax(env: Environment) -> tuple:
    """What the code compiled from a text depends on beside it: the delimiters and
    whitespace settings (mkdocs.yml may change them while previewing)."""
    return tuple(getattr(env, name) for name in (
        "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
        "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
        "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape", "optimized"))


_PAGE_HTML = Memo(size=PAGES_KEPT)  # pages' whole HTML, as the theme wrote them


class _KeptPages(Template):
    """The theme's templates, writing a page (its HTML, headings, address, front matter,
    place in the menu) as they wrote it in an earlier rebuild when nothing else the theme
    shows has changed: the menu's titles, addresses and pages' front matter, the site's
    settings as loaded (mkdocs.yml, what it takes from the environment or another file,
    and what the program and plugins set), the theme's own templates where the project
    holds them (`custom_dir`), and anything a plugin adds to the page's context."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        page = context.get("page")
        if not SWITCH.on or page is None or "nav" not in context:
            return super().render(context)
        # The page's neighbours and its canonical and edit addresses follow from the menu,
        # its address, its file and the settings, all in the key.
        key = (self.name, page.url, page.file.src_uri, page.title, page.content, _headings(page.toc),
               repr(page.meta), _site(context["config"], context["nav"]),
               repr({name: value for name, value in context.items() if name not in _OWN_CONTEXT}))
        kept = _PAGE_HTML.kept(key)
        if kept is None:
            kept = super().render(context)
            _PAGE_HTML.keep(key, kept)
        return kept


# The context MkDocs gives every page, read through the page, the menu and the settings (or
# the build's time, which the theme does not show); any other name a plugin adds is in the key.
_OWN_CONTEXT = {"page", "nav", "config", "pages", "build_date_utc"}
# Settings made anew each build, or in the key apart, and where the site is written (which
# no page shows).
_SETTINGS_ELSEWHERE = {"plugins", "hooks", "nav", "theme", "site_dir"}

_ONCE: dict[str, tuple[tuple, Any]] = {}  # what a build's objects gave, by what was asked of them


def _once_a_build(name: str, objects: tuple, make: Callable[[], Any]) -> Any:
    """`make()`, worked out again only when the build's `objects` (its settings, menu or
    files, made anew each build) are others than last time."""
    held = _ONCE.get(name)
    if held is None or any(now is not then for now, then in zip(objects, held[0], strict=True)):
        held = _ONCE[name] = (objects, make())
    return held[1]


def _site(config: Any, nav: Any) -> tuple:
    """What every page shows of the site: the settings as loaded, the theme's settings and
    the project's own theme templates, the plugins, and the menu (each entry's kind, title,
    address and front matter)."""
    return _once_a_build("site", (config, nav), lambda: (
        repr({name: value for name, value in config.items() if name not in _SETTINGS_ELSEWHERE}),
        repr(dict(config.theme.items())), _own_templates(config.theme.dirs), tuple(config.plugins),
        _menu(nav.items)))


_INSTALLED = tuple(Path(p).resolve() for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})


def _own_templates(dirs: list[str]) -> tuple:
    """Each file of the theme's folders outside the installed packages (a project's
    `custom_dir`), with its size and time of change."""
    found = []
    for folder in map(Path, dirs):
        if not any(folder.resolve().is_relative_to(installed) for installed in _INSTALLED):
            found += [(str(f), f.stat().st_size, f.stat().st_mtime_ns)
                      for f in sorted(folder.rglob("*")) if f.is_file()]
    return tuple(found)


def _menu(items: Any) -> tuple:
    return tuple((type(item).__name__, item.title, getattr(item, "url", None), repr(getattr(item, "meta", None)),
                  _menu(getattr(item, "children", None) or ())) for item in items)


_INDEXED = Memo(size=PAGES_KEPT)  # pages' search entries


def remember_search_entries(index: Any) -> None:
    """Make `index.add_entry_from_context` (the theme's search index, made anew each
    rebuild) reuse the entries it made for a page with the same HTML, address, title,
    headings and front matter in an earlier rebuild."""
    add = index.add_entry_from_context

    def add_entry_from_context(page: Any) -> None:
        key = (page.url, page.title, page.content, _headings(page.toc), repr(page.meta))
        kept = _INDEXED.kept(key)
        if kept is not None:
            index.entries.extend(kept)
            return
        before = len(index.entries)
        add(page)
        _INDEXED.keep(key, index.entries[before:])

    index.add_entry_from_context = add_entry_from_context


def _headings(toc: Any) -> tuple:
    return tuple((item.id, item.url, item.title, _headings(item.children)) for item in toc)


def _pages_of(files: Any) -> tuple[tuple[str, str], ...]:
    """Every file of the site and where it goes (links resolve against them), once a build."""
    return _once_a_build("pages", (files,), lambda: tuple(sorted((f.src_uri, f.dest_uri) for f in files)))
