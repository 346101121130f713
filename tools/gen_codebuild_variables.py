#!/usr/bin/env python3
"""Generates compiler/src/data/codebuild_variables.json: the environment variables AWS
documents as provided by CodeBuild in build environments, each with its name and a
one-sentence description.

Source: the markdown source of the CodeBuild User Guide page "Environment variables in build
environments" (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html)
in the archived repository github.com/awsdocs/aws-codebuild-user-guide, path
doc_source/build-env-ref-env-vars.md, as of commit 66cc3be8e695e9daf47158339ab05df638a90331
(2023-06-15, the last commit before the content was deleted on archiving; the file itself last
changed in dc437971b6c4ecbebccf6de21d46c9ed48fba45d, 2021-08-13). Git blob of that file:
f760c22817e4747b0d516c84fee766acd633e86b. Licence, as stated in that repository's
LICENSE-SUMMARY and LICENSE: the documentation is under the Creative Commons
Attribution-ShareAlike 4.0 International licence (sample code under a modified MIT licence).

The variable names are facts parsed from the source. AWS's wording is not copied: each
description is written in our own words in DOCS below, and the generator refuses to run when
the names in the source and in DOCS differ, or when the source is not the cited blob (the
_source citation would then be wrong). To review a description against AWS's text, run with
--show-aws, which prints AWS's first sentence for each variable, mechanically cleaned.

Usage: python3 tools/gen_codebuild_variables.py PATH-TO-build-env-ref-env-vars.md [--show-aws]
The path is required; get the file with
  git show 66cc3be8e695e9daf47158339ab05df638a90331:doc_source/build-env-ref-env-vars.md
in a clone of github.com/awsdocs/aws-codebuild-user-guide.
"""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "codebuild_variables.json"
REPOSITORY = "github.com/awsdocs/aws-codebuild-user-guide"
COMMIT = "66cc3be8e695e9daf47158339ab05df638a90331"
PATH = "doc_source/build-env-ref-env-vars.md"
BLOB = "f760c22817e4747b0d516c84fee766acd633e86b"
PAGE = "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html"

# Own-words summaries of AWS's descriptions: one plain-text sentence each, at most 200 characters.
DOCS = {
    "AWS_DEFAULT_REGION": "Region in which the build is running (such as us-east-1), read mainly by the AWS CLI.",
    "AWS_REGION": "Region in which the build is running (such as us-east-1), read mainly by the AWS SDKs.",
    "CODEBUILD_BATCH_BUILD_IDENTIFIER": "For a build that is part of a batch build, the identifier the batch buildspec gives it.",
    "CODEBUILD_BUILD_ARN": "ARN of the current build: arn:aws:codebuild:REGION:ACCOUNT:build/ followed by the build ID.",
    "CODEBUILD_BUILD_ID": "CodeBuild's ID for the current build: the project name, a colon and a generated identifier.",
    "CODEBUILD_BUILD_IMAGE": "Identifier of the CodeBuild image the build runs in, such as aws/codebuild/standard:2.0.",
    "CODEBUILD_BUILD_NUMBER": "Number of the current build within its project.",
    "CODEBUILD_BUILD_SUCCEEDING": "Whether the build is succeeding so far: 1 if it is, 0 if it is failing.",
    "CODEBUILD_INITIATOR": "Who started the build: codepipeline/ and the pipeline name for CodePipeline, the user name for an IAM user, or CodeBuild-Jenkins-Plugin for the Jenkins plugin.",
    "CODEBUILD_KMS_KEY_ID": "The AWS KMS key CodeBuild encrypts the build output artifact with, given as a key ARN or as alias/ and an alias name.",
    "CODEBUILD_LOG_PATH": "Name of the build's log stream in CloudWatch Logs.",
    "CODEBUILD_PUBLIC_BUILD_URL": "URL of this build's results on the public builds website, set only when the project has public builds enabled.",
    "CODEBUILD_RESOLVED_SOURCE_VERSION": "Version of the built source once DOWNLOAD_SOURCE has run: the commit ID for Git repositories, the source revision for CodePipeline (if it has one), never set for Amazon S3.",
    "CODEBUILD_SOURCE_REPO_URL": "URL of the input artifact (s3:// path) or the repository's clone URL, possibly empty under CodePipeline; secondary sources use CODEBUILD_SOURCE_REPO_URL_ plus the source identifier.",
    "CODEBUILD_SOURCE_VERSION": "Source version in a repository-dependent form: an S3 object version ID, a commit ID, branch or tag name, or pr/ and a number for a pull request webhook build.",
    "CODEBUILD_SRC_DIR": "Directory the build runs in, such as /tmp/src123456789/src; a secondary source's directory is in CODEBUILD_SRC_DIR_ plus its source identifier.",
    "CODEBUILD_START_TIME": "Time the build started, as a Unix timestamp in milliseconds.",
    "CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID": "Account ID of the user whose action caused the webhook event.",
    "CODEBUILD_WEBHOOK_BASE_REF": "Base reference name of the webhook event that started the build (for a pull request, a branch reference).",
    "CODEBUILD_WEBHOOK_EVENT": "The webhook event that started the build.",
    "CODEBUILD_WEBHOOK_HEAD_REF": "Head reference name, a branch or a tag reference, of the webhook event that started the build.",
    "CODEBUILD_WEBHOOK_MERGE_COMMIT": "ID of the squashed merge commit used for the build when a Bitbucket pull request was squash-merged and its branch closed, so its original commit no longer exists.",
    "CODEBUILD_WEBHOOK_PREV_COMMIT": "ID of the latest commit before the webhook push event that started the build.",
    "CODEBUILD_WEBHOOK_TRIGGER": "Set only for webhook builds: pr/ and a number for a pull request, branch/ and a name for a branch creation or push, tag/ and a name for a pushed tag.",
    "HOME": "Home directory, which CodeBuild always sets to /root.",
}

# A variable entry: its name alone on a line (underscores escaped, maybe an anchor), ending in
# two spaces (a markdown line break), then its description up to the next blank line.
ENTRY = re.compile(r"^((?:[A-Z0-9]|\\_)+)  (?:<a name=\"[A-Z_]+\"></a>)?\n(.*?)(?=\n\n|\Z)", re.M | re.S)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def variable_list(markdown: str) -> dict:
    """Name -> AWS's raw description, from the list between the introduction and the paragraph
    on user-defined variables."""
    start = markdown.index("provides several environment variables")
    end = markdown.index("You can also provide build environments with your own environment variables")
    found = {}
    for match in ENTRY.finditer(markdown, start, end):
        name = match.group(1).replace("\\_", "_")
        if name in found:
            sys.exit(f"{name} is listed twice")
        found[name] = match.group(2)
    return found


def first_sentence(text: str) -> str:
    """AWS's first sentence, mechanically cleaned: markdown escapes, code marks, emphasis and
    links removed, whitespace collapsed."""
    text = re.sub(r"<a name=\"[^\"]*\"></a>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("`", "").replace("**", "").replace("*", "")
    text = " ".join(text.split())
    match = re.match(r"(.*?[.:])(?:\s|$)", text)
    return match.group(1) if match else text


def check_doc(name: str, doc: str) -> None:
    problems = []
    if len(doc) > 200:
        problems.append(f"{len(doc)} characters")
    if not doc.endswith(".") or ". " in doc or re.search(r"[`*\[\]<>]", doc) or not doc.isascii():
        problems.append("not one plain-text sentence")
    if problems:
        sys.exit(f"DOCS[{name!r}]: {', '.join(problems)}")


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--show-aws"]
    if len(args) != 1:
        sys.exit(__doc__.split("\n\n")[-1])
    data = pathlib.Path(args[0]).read_bytes()
    if git_blob_id(data) != BLOB:
        sys.exit(f"{args[0]} is not {REPOSITORY}@{COMMIT} {PATH} (git blob {BLOB}); "
                 "update COMMIT, BLOB and DOCS together")
    source = variable_list(data.decode("utf-8"))
    missing, extra = sorted(set(source) - set(DOCS)), sorted(set(DOCS) - set(source))
    if missing or extra:
        sys.exit(f"names differ from the source: no description for {missing}; not in the source: {extra}")
    variables = []
    for name in sorted(source):
        check_doc(name, DOCS[name])
        if "--show-aws" in sys.argv:
            print(f"{name}\n  AWS: {first_sentence(source[name])}\n  ours: {DOCS[name]}")
        variables.append({"name": name, "doc": DOCS[name]})
    document = {
        "_generated_by": "tools/gen_codebuild_variables.py: do not edit by hand",
        "_source": f"{REPOSITORY}@{COMMIT} {PATH}; {PAGE}",
        "variables": variables,
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(variables)} variables")


if __name__ == "__main__":
    main()
