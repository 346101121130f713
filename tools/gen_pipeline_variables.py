#!/usr/bin/env python3
"""Generates compiler/src/data/pipeline_variables.json: the output variables CodePipeline
documents for the action providers whose variable keys are fixed (sources such as
CodeStarSourceConnection, ECR and S3), so a `#{Namespace.KEY}` read from such an action can be
checked. Providers whose keys the user configures (CodeBuild's exported variables,
CloudFormation stack outputs, Lambda's outputVariables) are listed as such.

Source: the markdown source of the CodePipeline User Guide page "Variables reference"
(https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html), section
"Actions with defined variable keys", in the archived repository
github.com/awsdocs/aws-codepipeline-user-guide, path doc_source/reference-variables.md, as of
commit 1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86 (2023-06-15, the last commit before the content
was deleted on archiving). Git blob of that file: 125f3bc21920a7ed0a82a537a3f9db1bb7e22cd3.
Licence, as stated in that repository's LICENSE-SUMMARY: the documentation is under the Creative
Commons Attribution-ShareAlike 4.0 International licence. Only the variable keys (facts) are
taken.

Usage: python3 tools/gen_pipeline_variables.py PATH-TO-reference-variables.md
Get the file with
  git show 1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86:doc_source/reference-variables.md
in a clone of github.com/awsdocs/aws-codepipeline-user-guide.
"""
import hashlib
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "compiler" / "src" / "data" / "pipeline_variables.json"
REPOSITORY = "github.com/awsdocs/aws-codepipeline-user-guide"
COMMIT = "1ddafe8b28f11ebe7b5eafd6adbfe7fa9d000a86"
PATH = "doc_source/reference-variables.md"
BLOB = "125f3bc21920a7ed0a82a537a3f9db1bb7e22cd3"
PAGE = "https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html"

# Section heading (as the page words it) -> the provider it documents (actionTypeId.provider).
SECTIONS = {
    "CodePipeline execution ID output variable": "codepipeline",
    "Amazon ECR action output variables": "ECR",
    "AWS CloudFormation StackSets action output variables": "CloudFormationStackSet",
    "CodeCommit action output variables": "CodeCommit",
    "CodeStarSourceConnection action output variables": "CodeStarSourceConnection",
    "S3 action output variables": "S3",
}
# GitHub version 1 is deprecated, and cruddur has no such provider.
SKIPPED = {"GitHub action output variables (GitHub action version 1)"}
# Section "Actions with user-configured variable keys": keys come from the program.
USER_CONFIGURED = ["CloudFormation", "CodeBuild", "Lambda"]


def git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = pathlib.Path(sys.argv[1]).read_bytes()
    if git_blob(data) != BLOB:
        sys.exit(f"{sys.argv[1]} is not blob {BLOB} of {REPOSITORY}@{COMMIT}:{PATH}")
    text = data.decode()
    defined = text.split('<a name="reference-variables-list-defined"></a>', 1)[1]
    defined = defined.split('<a name="reference-variables-list-configured"></a>', 1)[0]
    providers = {}
    for section in re.split(r"^#### ", defined, flags=re.M)[1:]:
        heading = re.sub(r"<a name=.*", "", section.splitlines()[0]).replace("\\", "").strip()
        if heading in SKIPPED:
            continue
        if heading not in SECTIONS:
            sys.exit(f"unknown section {heading!r}: map it in SECTIONS or SKIPPED")
        rows = [line for line in section.splitlines() if line.startswith("| ")]
        header = [cell.strip() for cell in rows[0].strip("| ").split("|")]
        column = header.index("Variable key")
        keys = [
            [cell.strip() for cell in row.strip().strip("|").split("|")][column].replace("\\", "")
            for row in rows[2:]
        ]
        providers[SECTIONS[heading]] = sorted(keys)
    if set(providers) != set(SECTIONS.values()):
        sys.exit(f"sections missing: {set(SECTIONS.values()) - set(providers)}")
    document = {
        "_generated_by": "tools/gen_pipeline_variables.py: do not edit by hand",
        "_source": f"{REPOSITORY}@{COMMIT} {PATH}; {PAGE}",
        "defined": providers,
        "user_configured": USER_CONFIGURED,
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {sum(map(len, providers.values()))} keys of {len(providers)} providers")


if __name__ == "__main__":
    main()
