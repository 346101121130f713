"""Completion, hover and formatting, as an editor asks for them while a person types."""

from __future__ import annotations

from lsprotocol import types

from support import CruddurClient, apply_edits, at, open_document, position_of

UNFORMATTED = "single/unformatted.cruddur"

# `single/unformatted.cruddur` in the canonical layout (`cruddur fmt` writes the same).
FORMATTED = """\
param account_id

aws {
  account = account_id
  region  = "us-east-1"
}

repository images {
  name           = "images"
  scan_on_push   = true
  tag_mutability = immutable
}

project bake {
  name   = "bake"
  pushes = [images]
  environment {
    image      = amazonlinux_standard("5.0")
    privileged = true
  }
  phase pre_build {
    run ecr_login(images)
  }
  phase build {
    run "docker build -t ${{ images.uri }}:$CODEBUILD_RESOLVED_SOURCE_VERSION ."
    run "docker push ${{ images.uri }}:$CODEBUILD_RESOLVED_SOURCE_VERSION"
  }
}
"""

OPTIONS = types.FormattingOptions(tab_size=2, insert_spaces=True)


def items_of(answer) -> list[types.CompletionItem]:
    assert answer is not None
    return list(answer if isinstance(answer, list) else answer.items)


async def test_completion_in_a_project_body_offers_its_members(client: CruddurClient):
    uri = client.uri("single/typing.cruddur")
    open_document(client, uri, "project x {\n  \n}\n")
    answer = await client.text_document_completion_async(
        types.CompletionParams(text_document=at(uri), position=types.Position(line=1, character=2))
    )
    items = {item.label: item for item in items_of(answer)}
    # The members of `project`, in the order the language lists them.
    assert list(items)[:3] == ["name", "description", "badge"], list(items)
    assert {"name", "environment", "pushes", "phase", "timeout"} <= set(items)
    # Not the members of other blocks, nor item keywords.
    assert not {"image", "compute", "stage", "pipeline", "project"} & set(items)

    name = items["name"]
    assert name.kind == types.CompletionItemKind.Property
    assert name.insert_text_format == types.InsertTextFormat.Snippet
    assert isinstance(name.text_edit, types.TextEdit)
    assert name.text_edit.new_text == "name = $0"
    assert name.text_edit.range == types.Range(
        start=types.Position(line=1, character=2), end=types.Position(line=1, character=2)
    )
    environment = items["environment"]
    assert environment.text_edit is not None
    assert environment.text_edit.new_text == "environment {\n\t$0\n}"
    # The editor shows them in the server's order.
    assert [i.sort_text for i in items.values()] == sorted(i.sort_text for i in items.values())


async def test_completion_offers_items_of_other_files_of_the_program(client: CruddurClient):
    uri = client.uri("program/bake.cruddur")
    text = client.text("program/bake.cruddur")
    # `pushes = [|` with the list emptied: the repositories are in repositories.cruddur.
    text = text.replace("pushes = [r, other]", "pushes = []")
    open_document(client, uri, text)
    answer = await client.text_document_completion_async(
        types.CompletionParams(text_document=at(uri), position=position_of(text, "pushes = [", delta=10))
    )
    assert [(i.label, i.kind) for i in items_of(answer)] == [
        ("r", types.CompletionItemKind.Reference),
        ("other", types.CompletionItemKind.Reference),
    ]


async def test_hover_over_the_project_keyword_explains_it(client: CruddurClient):
    uri = client.uri("single/typing.cruddur")
    open_document(client, uri, "project x {\n  \n}\n")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=at(uri), position=types.Position(line=0, character=3))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    markdown = hover.contents.value
    assert markdown.startswith("**project**"), markdown
    assert "CodeBuild" in markdown
    assert "`AWS::CodeBuild::Project" in markdown
    assert hover.range == types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=7))


async def test_formatting_lays_out_the_whole_file(client: CruddurClient):
    uri = client.uri(UNFORMATTED)
    text = client.text(UNFORMATTED)
    assert text != FORMATTED
    open_document(client, uri, text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=at(uri), options=OPTIONS)
    )
    assert edits, edits
    assert apply_edits(text, list(edits)) == FORMATTED

    # Formatted, the file needs no edit.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=FORMATTED)],
        )
    )
    again = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=at(uri), options=OPTIONS)
    )
    assert again is not None and list(again) == []


async def test_range_formatting_lays_out_only_the_items_it_touches(client: CruddurClient):
    uri = client.uri(UNFORMATTED)
    text = client.text(UNFORMATTED)
    open_document(client, uri, text)
    # A selection inside the `repository` block.
    start = position_of(text, "scan_on_push")
    edits = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(
            text_document=at(uri), range=types.Range(start=start, end=start), options=OPTIONS
        )
    )
    assert edits is not None and len(edits) == 1
    formatted = apply_edits(text, list(edits))
    repository = FORMATTED[FORMATTED.index("repository") : FORMATTED.index("project")]
    assert repository in formatted
    # The other items keep their layout.
    assert formatted.replace(repository, "") == text.replace(
        text[text.index("repository") : text.index("project")], ""
    )


async def test_a_file_that_does_not_parse_is_not_formatted(client: CruddurClient):
    uri = client.uri("single/typing.cruddur")
    open_document(client, uri, "project x {\n  name = \n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=at(uri), options=OPTIONS)
    )
    assert edits is None
