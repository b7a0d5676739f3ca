"""Building the site: it comes from checked data, and data is shown as text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from partner_portal import render
from partner_portal.model import Program

from .conftest import edit


def build(project: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                           str(project / "site")], cwd=project, capture_output=True, text=True, env=env)


def test_home_page_is_built_from_program_data(project):
    edit(project / "program_data/program.yaml", "version: \"2027.1\"", "version: \"2031.4\"")
    done = build(project)
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "index.html").read_text()
    assert "<title>Lumora Partner Success Program</title>" in page
    assert "Version 2031.4" in page


def test_html_and_jinja_in_data_show_as_text(project):
    edit(project / "program_data/program.yaml", "name: Lumora Partner Success Program",
         "name: \"<script>alert(1)</script> {{ 7*7 }} {% if true %}x{% endif %}\"")
    edit(project / "program_data/program.yaml", "  - Resellers and agents who sell Lumora Workspace subscriptions",
         "  - \"**bold** [link](http://x) <b>b</b>\"")
    done = build(project)
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "49" not in page.split("<article", 1)[1]
    assert "{{ 7*7 }}" in page.replace("&#123;", "{").replace("&#125;", "}")
    assert "<b>b</b>" not in page and "<strong>bold</strong>" not in page and 'href="http://x"' not in page


def test_build_fails_when_program_data_has_errors(project):
    edit(project / "program_data/tiers.yaml", "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    done = build(project)
    assert done.returncode != 0
    assert "duplicate-key" in done.stderr + done.stdout
    assert not (project / "site" / "index.html").exists()


def test_text_escapes_markdown_html_and_template_syntax():
    assert render.text("<b>{{ x }}</b> *y* [z](u)") == (
        "&lt;b&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt; \\*y\\* \\[z\\]\\(u\\)"
    )
    assert render.text("two\nlines | pipe") == "two lines \\| pipe"


def test_program_home_escapes_every_value():
    info = {"name": "<i>N</i>", "summary": "S", "version": "1", "effective_date": "2027-01-01",
            "vendor": {"name": "V", "product": "P"}, "audience": ["<a>"], "how_to_join": ["{{ 1 }}"]}
    program = Program(documents={"program.yaml": info})
    page = render.program_home(program, render.Links(program, "index.md"))
    assert "<i>" not in page and "<a>" not in page and "{{" not in page
