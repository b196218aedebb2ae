"""Every CLI command has help text, a README entry and a docs page."""

from pathlib import Path

import click
import pytest

from scraper.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix}{name} ")


COMMANDS = list(all_commands(cli))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_readme_entry_and_docs_page(name, command):
    assert command.help and len(command.help.strip()) > 20, f"{name} has no help text"
    examples = command.help.split("Examples:\n", 1)[-1] if "Examples:\n" in command.help else ""
    assert f"newsarchive {name}" in examples, f"{name}'s help has no example of it"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help text"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`newsarchive {name}" in readme, f"README has no entry for `newsarchive {name}`"
    page = ROOT / "docs" / f"{name.split()[0]}.md"
    assert page.exists(), f"no docs page {page.relative_to(ROOT)}"


def test_commands_are_found():
    names = {n for n, _ in COMMANDS}
    assert {"crawl", "poll", "export", "serve", "demo", "import", "sources"} <= names


def test_readme_lists_every_registry_source():
    from scraper.sources import load_registry

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for source_id in load_registry():
        assert f"| `{source_id}` |" in readme, f"README's sources table lacks {source_id}"


def test_the_command_reference_is_generated_from_the_help_and_current():
    from cogapp import Cog

    reference = ROOT / "docs" / "commands.md"
    status = Cog().main(["cog", "--check", str(reference)])
    assert status == 0, "docs/commands.md is stale: run `cog -r docs/commands.md`"
    text = reference.read_text(encoding="utf-8")
    for name, _command in COMMANDS:
        assert f"## newsarchive {name}\n" in text, f"docs/commands.md lacks {name}"


def test_the_example_source_file_in_the_docs_is_valid():
    import re

    import tomllib

    from scraper.sources import parse_source

    page = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(# my-sources\.toml.*?)```", page, re.S)
    for source_id, table in tomllib.loads(example).items():
        source = parse_source("docs/sources.md", source_id, table)
        home = source.homepage
        assert source.is_article_url(f"{home}2025/03/a-story/")  # as the site serves it
        assert not source.is_article_url(f"{home.replace('http:', 'https:')}2025/03/a-story/")
