//! What each item takes: its members, the form each is written in, and a line of
//! documentation. The structure check, the language server (completion, hover) and the
//! reference in `spec/language.md` all read this one table.

/// The written form of a member; see `spec/language.md`, "Members".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `name = value`
    Property,
    /// `name { … }` with the given members.
    Block(&'static [MemberSpec]),
    /// `name { NAME = value … }`: names chosen by the user (environment variables).
    Map(&'static [MemberSpec]),
    /// `name LABEL { … }` or `name LABEL = value { … }`.
    Labelled {
        value: LabelValue,
        body: Option<&'static [MemberSpec]>,
    },
    /// `name arg, …`
    Statement,
}

/// Whether a labelled member takes `= value` after its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelValue {
    Required,
    Optional,
    Forbidden,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberSpec {
    pub name: &'static str,
    pub form: Form,
    /// May appear more than once in one block (`run`, `stage`, `input`…).
    pub repeatable: bool,
    pub doc: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemSpec {
    pub keyword: &'static str,
    /// `Labelled` for named items (`project NAME { … }`), `Block` for `aws { … }`.
    pub form: Form,
    pub doc: &'static str,
}

impl ItemSpec {
    pub fn named(&self) -> bool {
        matches!(self.form, Form::Labelled { .. })
    }
}

const fn prop(name: &'static str, doc: &'static str) -> MemberSpec {
    MemberSpec {
        name,
        form: Form::Property,
        repeatable: false,
        doc,
    }
}

const fn block(name: &'static str, members: &'static [MemberSpec], doc: &'static str) -> MemberSpec {
    MemberSpec {
        name,
        form: Form::Block(members),
        repeatable: false,
        doc,
    }
}

const fn statement(name: &'static str, doc: &'static str) -> MemberSpec {
    MemberSpec {
        name,
        form: Form::Statement,
        repeatable: true,
        doc,
    }
}

const fn labelled(
    name: &'static str,
    value: LabelValue,
    body: Option<&'static [MemberSpec]>,
    doc: &'static str,
) -> MemberSpec {
    MemberSpec {
        name,
        form: Form::Labelled { value, body },
        repeatable: true,
        doc,
    }
}

pub const AWS: &[MemberSpec] = &[
    prop(
        "account",
        "AWS account id (12 digits) used in ARNs and image URIs; usually a `param`",
    ),
    prop("region", "AWS region, e.g. \"us-east-1\""),
];

pub const PARAM: &[MemberSpec] = &[
    prop(
        "description",
        "What the parameter is for (shown by `--help` of generated templates)",
    ),
    prop("default", "Value used when `--param NAME=VALUE` is not given"),
];

pub const CONNECTION: &[MemberSpec] = &[
    prop("name", "Connection name in AWS (CodeConnections)"),
    prop("provider", "GitHub, GitHubEnterpriseServer, Bitbucket or GitLab"),
    prop("arn", "ARN of an existing connection, instead of creating one"),
];

pub const REPOSITORY: &[MemberSpec] = &[
    prop("name", "ECR repository name"),
    prop(
        "scan_on_push",
        "Scan every pushed image for vulnerabilities (ECR basic scanning)",
    ),
    prop(
        "tag_mutability",
        "mutable or immutable: whether a pushed tag may be overwritten",
    ),
];

pub const SERVICE: &[MemberSpec] = &[
    prop("cluster", "Name of the ECS cluster that runs the service"),
    prop("name", "Name of the ECS service"),
    prop(
        "container",
        "Container name in the task definition; `imagedefinitions.json` must name it",
    ),
    prop("task_role", "ARN or name of the task role (for iam:PassRole on deploy)"),
    prop(
        "execution_role",
        "ARN or name of the task execution role (for iam:PassRole on deploy)",
    ),
    prop(
        "task_family",
        "Task definition family: deploys may register revisions of it and no other",
    ),
];

pub const ALLOW: &[MemberSpec] = &[
    prop("sid", "Statement id"),
    prop("actions", "IAM actions, e.g. [\"ecr:GetAuthorizationToken\"]"),
    prop("resources", "Resource ARNs the actions apply to, or \"*\""),
    prop("conditions", "IAM condition block, as a list of condition(…) calls"),
];

pub const ROLE: &[MemberSpec] = &[
    prop("name", "IAM role name"),
    prop("description", "Role description"),
    prop("trust", "Service principals allowed to assume the role: codebuild, codepipeline, codedeploy, cloudformation, ecs_tasks, lambda"),
    MemberSpec { name: "allow", form: Form::Block(ALLOW), repeatable: true, doc: "A policy statement granting actions on resources" },
    prop("managed_policies", "ARNs of managed policies to attach"),
];

pub const ENVIRONMENT: &[MemberSpec] = &[
    prop(
        "image",
        "Build image: amazonlinux_standard(\"5.0\"), standard(\"7.0\"), or an image URI string",
    ),
    prop("compute", "small, medium, large, xlarge, 2xlarge"),
    prop("privileged", "Run the Docker daemon (needed for docker build/push)"),
    prop("type", "linux, linux_arm, linux_gpu"),
];

pub const ENV: &[MemberSpec] = &[statement(
    "export",
    "Variables exported to the pipeline (exported-variables)",
)];

pub const PHASE_FINALLY: &[MemberSpec] = &[statement("run", "A shell command")];

pub const PHASE: &[MemberSpec] = &[
    statement(
        "run",
        "A shell command; runs in order, the phase fails on the first failing command",
    ),
    block("finally", PHASE_FINALLY, "Commands that run even when the phase fails"),
    prop(
        "on_failure",
        "abort or continue: what CodeBuild does when the phase fails",
    ),
    prop("run_as", "Linux user that runs the phase's commands"),
];

pub const ARTIFACT: &[MemberSpec] = &[
    prop("files", "Glob patterns of the files to keep"),
    prop("base_directory", "Directory the patterns are relative to"),
    prop("discard_paths", "Flatten the files into one directory"),
    prop("name", "Name of the artifact in S3"),
];

pub const REPORT: &[MemberSpec] = &[
    prop("files", "Glob patterns of the report files"),
    prop("base_directory", "Directory the patterns are relative to"),
    prop(
        "format",
        "Report file format, e.g. junit_xml, cucumber_json, cobertura_xml",
    ),
];

pub const CACHE: &[MemberSpec] = &[
    prop("paths", "Paths to cache between builds"),
    prop("mode", "CodeBuild's local cache: docker_layer, source or custom"),
];

pub const LOGS: &[MemberSpec] = &[
    prop("enabled", "Send build logs to CloudWatch Logs"),
    prop("group", "Log group name"),
    prop("stream", "Log stream name prefix"),
];

pub const PROJECT: &[MemberSpec] = &[
    prop("name", "CodeBuild project name"),
    prop("description", "Project description"),
    prop("badge", "Publish a build badge"),
    prop("artifact_encryption", "Encrypt build artifacts (on unless set to false)"),
    prop("timeout", "Build timeout (5m to 36h)"),
    prop("queued_timeout", "How long a build may wait in the queue (5m to 8h)"),
    prop("source", "Where builds get their source: github(connection, \"owner/repo\", events = […]) or, when only a pipeline runs it, omitted"),
    prop("role", "An explicit role; by default a least-privilege role is inferred"),
    prop("pushes", "ECR repositories the build pushes to: grants push rights"),
    prop("shell", "Shell for the commands: bash or sh"),
    block("environment", ENVIRONMENT, "Build image, compute size and Docker privileges"),
    MemberSpec { name: "env", form: Form::Map(ENV), repeatable: false, doc: "Environment variables: NAME = \"value\", NAME = parameter_store(\"/path\"), NAME = secrets_manager(\"id:key\")" },
    labelled("runtime", LabelValue::Required, None, "A runtime version the image installs: runtime python = \"3.12\""),
    labelled("phase", LabelValue::Forbidden, Some(PHASE), "Commands of one build phase: install, pre_build, build or post_build"),
    statement("output", "What the build produces: image_definitions(service, image = \"…\") or files(\"glob\", …)"),
    labelled("artifact", LabelValue::Forbidden, Some(ARTIFACT), "A named secondary artifact"),
    labelled("report", LabelValue::Forbidden, Some(REPORT), "A test or coverage report group"),
    block("cache", CACHE, "Build cache"),
    block("logs", LOGS, "CloudWatch Logs settings"),
];

/// Action bodies also take provider configuration properties, checked per provider.
pub const ACTION: &[MemberSpec] = &[
    statement("input", "Input artifacts, by name"),
    statement("output", "Output artifacts, by name"),
    prop(
        "run_order",
        "Order within the stage (1–999); equal orders run in parallel",
    ),
    prop("namespace", "Namespace of the action's output variables"),
    prop("region", "Region the action runs in"),
    prop("role", "Role the action assumes"),
];

pub const STAGE: &[MemberSpec] = &[
    prop("name", "Stage name in AWS, when it differs from the label"),
    labelled(
        "action",
        LabelValue::Required,
        Some(ACTION),
        "An action: action NAME = provider(…) { … }",
    ),
];

pub const PIPELINE: &[MemberSpec] = &[
    prop("name", "CodePipeline name"),
    prop(
        "role",
        "An explicit service role; by default a least-privilege role is inferred",
    ),
    prop(
        "artifact_bucket",
        "Name of an existing S3 bucket for artifacts; by default one is created",
    ),
    labelled(
        "stage",
        LabelValue::Forbidden,
        Some(STAGE),
        "A stage: its actions run when the previous stage succeeds",
    ),
];

pub const ITEMS: &[ItemSpec] = &[
    ItemSpec {
        keyword: "aws",
        form: Form::Block(AWS),
        doc: "Account and region for ARNs and image URIs",
    },
    ItemSpec {
        keyword: "param",
        form: Form::Labelled {
            value: LabelValue::Optional,
            body: Some(PARAM),
        },
        doc: "A value given at compile time: --param NAME=VALUE",
    },
    ItemSpec {
        keyword: "let",
        form: Form::Labelled {
            value: LabelValue::Required,
            body: None,
        },
        doc: "A named value: let NAME = value",
    },
    ItemSpec {
        keyword: "connection",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(CONNECTION),
        },
        doc: "A CodeConnections (CodeStar) connection to GitHub, Bitbucket or GitLab",
    },
    ItemSpec {
        keyword: "repository",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(REPOSITORY),
        },
        doc: "An ECR repository",
    },
    ItemSpec {
        keyword: "service",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(SERVICE),
        },
        doc: "An existing ECS service that deploy actions update",
    },
    ItemSpec {
        keyword: "role",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(ROLE),
        },
        doc: "An explicit IAM role (roles are inferred when absent)",
    },
    ItemSpec {
        keyword: "project",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PROJECT),
        },
        doc: "A CodeBuild project and its buildspec",
    },
    ItemSpec {
        keyword: "pipeline",
        form: Form::Labelled {
            value: LabelValue::Forbidden,
            body: Some(PIPELINE),
        },
        doc: "A CodePipeline (V2): stages of actions wired by artifacts",
    },
];

pub fn item(keyword: &str) -> Option<&'static ItemSpec> {
    ITEMS.iter().find(|item| item.keyword == keyword)
}

/// The members a block of this form takes.
pub fn members_of(form: Form) -> &'static [MemberSpec] {
    match form {
        Form::Block(members) | Form::Map(members) => members,
        Form::Labelled {
            body: Some(members), ..
        } => members,
        _ => &[],
    }
}

/// The closest of `candidates` to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_ascii_lowercase();
    // Among equally close candidates, prefer the one that starts like the name.
    let shared_prefix = |candidate: &str| {
        lower
            .chars()
            .zip(candidate.to_ascii_lowercase().chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let close = candidates
        .iter()
        .map(|candidate| (edit_distance(&lower, &candidate.to_ascii_lowercase()), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, candidate)| (*distance, std::cmp::Reverse(shared_prefix(candidate)), *candidate))
        .map(|(_, candidate)| candidate);
    // Otherwise a short form or a spelled-out form: `repository` for `repo`, `env` for `environment`.
    close.or_else(|| {
        candidates
            .iter()
            .filter(|c| {
                let c = c.to_ascii_lowercase();
                c.len().min(lower.len()) >= 3 && (c.starts_with(&lower) || lower.starts_with(&c))
            })
            .min_by_key(|c| (c.len().abs_diff(lower.len()), **c))
            .copied()
    })
}

/// Levenshtein distance, counting an adjacent transposition as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}
