"""Every GraphQL document in README.md is a named operation valid against the schema, so an
example cannot rot as the schema changes, and GraphQL Code Generator accepts the README's
operations side by side (it refuses anonymous operations when a file has several, and
operations sharing a name)."""

import json
import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, specified_rules, validate

from cms.schema import schema

README = Path(__file__).resolve().parents[2] / "README.md"

FENCED = re.compile(r"^```graphql\n(.*?)^```", re.MULTILINE | re.DOTALL)
# The curl example sends its query as JSON between <<'GRAPHQL' and GRAPHQL.
HEREDOC = re.compile(r"<<'GRAPHQL'\n(.*?)\nGRAPHQL$", re.MULTILINE | re.DOTALL)


def readme_documents(text: str) -> list[str]:
    documents = FENCED.findall(text)
    documents += [json.loads(body)["query"] for body in HEREDOC.findall(text)]
    return documents


DOCUMENTS = readme_documents(README.read_text(encoding="utf-8"))


def test_the_readme_documents_are_all_found():
    # The fenced examples and the curl example; an extraction that finds none proves nothing.
    assert len(DOCUMENTS) >= 6
    assert any("SeedArticle" in document for document in DOCUMENTS)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: " ".join(d.split())[:40])
def test_each_readme_document_is_a_valid_named_operation(document):
    parsed = parse(document)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    assert operations
    assert all(operation.name is not None for operation in operations), document
    assert validate(schema.graphql_schema, parsed, specified_rules) == []


def test_readme_operation_names_are_unique():
    names = [
        definition.name.value
        for document in DOCUMENTS
        for definition in parse(document).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name
    ]
    assert len(names) == len(set(names)), names


def test_an_anonymous_or_invalid_example_would_be_caught():
    text = "```graphql\n{ articles { totalCount } }\n```\n```graphql\nquery X { nope }\n```\n"
    anonymous, invalid = readme_documents(text)
    assert parse(anonymous).definitions[0].name is None
    assert validate(schema.graphql_schema, parse(invalid), specified_rules)
