"""Go to definition, find references and rename across the two files of one program
(`fixtures/program/`: a `cruddur.toml`, the repositories in one file, the project that
pushes to them in another)."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from support import CruddurClient, apply_edits, at, open_document, position_of

BAKE = "program/bake.cruddur"
REPOSITORIES = "program/repositories.cruddur"
REQUEST_FAILED = -32803


def span(line: int, start: int, end: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=start), end=types.Position(line=line, character=end))


def places(locations) -> list[tuple[str, types.Range]]:
    return sorted(
        ((loc.uri, loc.range) for loc in locations),
        key=lambda p: (p[0], p[1].start.line, p[1].start.character),
    )


@pytest.fixture
def bake(client: CruddurClient) -> tuple[str, str]:
    """`bake.cruddur` open in the editor (the repositories' file is read from disk)."""
    uri, text = client.uri(BAKE), client.text(BAKE)
    open_document(client, uri, text)
    return uri, text


async def test_definition_of_a_reference_is_in_the_other_file(client: CruddurClient, bake):
    uri, text = bake
    # The `r` of `pushes = [r, other]`.
    answer = await client.text_document_definition_async(
        types.DefinitionParams(text_document=at(uri), position=position_of(text, "[r,", delta=1))
    )
    assert isinstance(answer, types.Location), answer
    assert answer.uri == client.uri(REPOSITORIES)
    # `repository r {`: the name in the declaration.
    assert answer.range == span(0, 11, 12)
    assert client.text(REPOSITORIES).splitlines()[0][11:12] == "r"

    # And `other`, from inside an interpolation in a command.
    answer = await client.text_document_definition_async(
        types.DefinitionParams(text_document=at(uri), position=position_of(text, "${{ other.uri", delta=5))
    )
    assert isinstance(answer, types.Location), answer
    assert (answer.uri, answer.range) == (client.uri(REPOSITORIES), span(6, 11, 16))


async def test_references_are_found_in_both_files(client: CruddurClient, bake):
    uri, text = bake
    repositories = client.uri(REPOSITORIES)
    uses = [
        (uri, span(2, 12, 13)),  # pushes = [r, other]
        (uri, span(8, 18, 19)),  # run ecr_login(r)
        (uri, span(11, 29, 30)),  # ${{ r.uri }} in docker build
        (uri, span(12, 25, 26)),  # ${{ r.uri }} in docker push
    ]
    for line, at_column in [(2, 12), (8, 18), (11, 29), (12, 25)]:
        assert text.splitlines()[line][at_column] == "r"

    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=at(uri),
            position=position_of(text, "[r,", delta=1),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    assert places(found) == places(
        [types.Location(uri=u, range=r) for u, r in uses + [(repositories, span(0, 11, 12))]]
    )

    # Asked from the declaration, in the file that is not open, without it.
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=at(repositories),
            position=types.Position(line=0, character=11),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert found is not None
    assert places(found) == places([types.Location(uri=u, range=r) for u, r in uses])


async def test_rename_edits_both_files(client: CruddurClient, bake):
    uri, text = bake
    repositories_uri = client.uri(REPOSITORIES)
    repositories = client.text(REPOSITORIES)
    position = position_of(text, "ecr_login(r)", delta=10)

    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=at(uri), position=position)
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder), prepared
    assert prepared.placeholder == "r"
    assert prepared.range == span(8, 18, 19)

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=at(uri), position=position, new_name="images")
    )
    assert edit is not None and edit.changes is not None
    assert sorted(edit.changes) == sorted([uri, repositories_uri])
    renamed_bake = apply_edits(text, list(edit.changes[uri]))
    renamed_repositories = apply_edits(repositories, list(edit.changes[repositories_uri]))
    assert renamed_repositories == repositories.replace("repository r {", "repository images {")
    assert renamed_bake == (
        text.replace("[r, other]", "[images, other]")
        .replace("ecr_login(r)", "ecr_login(images)")
        .replace("${{ r.uri }}", "${{ images.uri }}")
    )

    # The editor applies the edit; the new name resolves across the files.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
            ],
        )
    )
    open_document(client, repositories_uri, renamed_repositories)
    answer = await client.text_document_definition_async(
        types.DefinitionParams(text_document=at(uri), position=position_of(renamed_bake, "[images", delta=1))
    )
    assert isinstance(answer, types.Location), answer
    assert (answer.uri, answer.range) == (repositories_uri, span(0, 11, 17))


async def test_rename_to_a_name_in_use_is_refused(client: CruddurClient, bake):
    uri, text = bake
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_rename_async(
            types.RenameParams(text_document=at(uri), position=position_of(text, "[r,", delta=1), new_name="other")
        )
    assert refused.value.code == REQUEST_FAILED
    assert refused.value.message.startswith("`other` is already the name of a repository"), refused.value.message
    # The files are untouched: nothing was sent to apply.
    assert client.text(BAKE) == text


async def test_rename_to_a_name_that_is_no_name_is_refused(client: CruddurClient, bake):
    uri, text = bake
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_rename_async(
            types.RenameParams(text_document=at(uri), position=position_of(text, "[r,", delta=1), new_name="my-repo")
        )
    assert refused.value.code == REQUEST_FAILED
    assert "my-repo" in refused.value.message, refused.value.message


async def test_a_keyword_cannot_be_renamed(client: CruddurClient, bake):
    uri, _ = bake
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=at(uri), position=types.Position(line=0, character=2))
        )
    assert refused.value.code == REQUEST_FAILED
    assert refused.value.message == "a word of the language cannot be renamed"
