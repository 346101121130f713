//! The registry of diagnostic codes. Every code the compiler can report is declared here once,
//! with its default severity and a one-line title; `spec/diagnostics.md` documents each one and
//! `cruddur explain` prints that entry. A test keeps the three in step.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// A stable diagnostic code such as `E0001`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `"E0001"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity the code has unless configuration overrides it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A short, stable description of the problem class.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// Security rules may be waived in the source with a reason.
            pub fn is_security_rule(self) -> bool {
                self.as_str().starts_with('S')
            }

            /// Found by the `syntax` layer (`E00xx`): the text does not parse as written.
            pub fn is_syntax(self) -> bool {
                self.as_str().starts_with("E00")
            }

            /// The variant's name, as used in the source (`UnexpectedCharacter`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => stringify!($variant),)* }
            }
        }
    };
}

codes! {
    // Lexical structure.
    UnexpectedCharacter = "E0001", Error, "unexpected character";
    UnterminatedString = "E0002", Error, "unterminated string";
    InvalidEscape = "E0003", Error, "invalid escape sequence";
    UnterminatedComment = "E0004", Error, "unterminated block comment";
    UnterminatedInterpolation = "E0005", Error, "unterminated interpolation";
    InvalidInterpolation = "E0006", Error, "invalid interpolation";
    InvalidNumber = "E0007", Error, "invalid number or duration";
    // Delimiters, grammar and limits.
    UnexpectedToken = "E0010", Error, "unexpected token";
    UnclosedDelimiter = "E0011", Error, "unclosed delimiter";
    UnmatchedClosingDelimiter = "E0012", Error, "unmatched closing delimiter";
    MismatchedDelimiter = "E0013", Error, "mismatched closing delimiter";
    NestingTooDeep = "E0014", Error, "nesting too deep";
    FileTooLarge = "E0015", Error, "file too large";
    // Item and member structure.
    UnknownItem = "E0101", Error, "unknown item kind";
    ItemNeedsName = "E0102", Error, "item needs a name";
    UnknownMember = "E0103", Error, "unknown member";
    WrongMemberShape = "E0104", Error, "member written in the wrong form";
    DuplicateMember = "E0105", Error, "member given twice";
    NestedItem = "E0106", Error, "item inside a block";
    InvalidWaiver = "E0107", Error, "waiver without a known code or a reason";
    UnusedWaiver = "E0108", Warning, "waiver that waives nothing";
    // Names, references and values.
    DuplicateItem = "E0201", Error, "item defined twice";
    UnknownName = "E0202", Error, "unknown name";
    WrongKind = "E0203", Error, "reference to the wrong kind of item";
    UnusedItem = "E0204", Warning, "unused item";
    LetCycle = "E0205", Error, "`let` refers to itself";
    MissingProperty = "E0206", Error, "required property missing";
    WrongType = "E0207", Error, "value of the wrong type";
    OutOfRange = "E0208", Error, "value out of range";
    InvalidAwsName = "E0209", Error, "name AWS rejects";
    UnknownValue = "E0210", Error, "unknown value";
    UnknownField = "E0211", Error, "unknown field";
    DuplicateAwsName = "E0212", Error, "two resources with one AWS name";
    AwsValueNotPlain = "E0213", Error, "`aws` account or region computed from the program";
    FieldCycle = "E0214", Error, "item field made from itself";
    // Pipeline wiring.
    UnknownProvider = "E0301", Error, "unknown action provider";
    ProviderArguments = "E0302", Error, "wrong provider arguments";
    TooFewStages = "E0303", Error, "pipeline with fewer than two stages";
    DuplicateStage = "E0304", Error, "stage name used twice";
    DuplicateAction = "E0305", Error, "action name used twice in a stage";
    NonSourceInFirstStage = "E0306", Error, "non-source action in the first stage";
    SourceOutsideFirstStage = "E0307", Error, "source action outside the first stage";
    ArtifactCount = "E0308", Error, "wrong number of artifacts for the provider";
    DuplicateArtifact = "E0309", Error, "artifact produced twice";
    UnknownArtifact = "E0310", Error, "input artifact nobody produces";
    ArtifactNotYetProduced = "E0311", Error, "artifact used before it is produced";
    ArtifactTypeMismatch = "E0312", Error, "artifact of the wrong type";
    ContainerMismatch = "E0313", Error, "image definitions for another container";
    UnusedArtifact = "E0314", Warning, "artifact never used";
    MissingConfiguration = "E0315", Error, "required action setting missing";
    UnknownConfiguration = "E0316", Error, "unknown action setting";
    ProjectHasNoOutput = "E0317", Error, "action output the project does not produce";
    FileNotInArtifact = "E0318", Error, "file the action reads is not in its input";
    DroppedOutput = "E0319", Warning, "output of a project no pipeline runs";
    EmptyStage = "E0320", Error, "stage without actions";
    DuplicateNamespace = "E0321", Error, "namespace declared by two actions";
    UnresolvedPipelineVariable = "E0322", Error, "pipeline variable where nothing resolves it";
    UnknownPipelineVariable = "E0323", Error, "pipeline variable of no earlier action";
    UnexportedVariable = "E0324", Error, "pipeline variable the action does not set";
    ParallelDeploys = "E0325", Error, "two actions deploy one target at the same time";
    ApprovalBesideDeploy = "E0326", Warning, "approval beside the deploy it should gate";
    CrossRegion = "E0327", Error, "action outside the pipeline's region";
    TriggerRejected = "E0328", Error, "trigger filter CodePipeline rejects";
    NotificationTopic = "E0329", Error, "notification topic CodeStar Notifications cannot send to";
    ScheduleRejected = "E0330", Error, "schedule expression EventBridge rejects";
    TemplateArgument = "E0331", Error, "argument a stage template does not take";
    TemplateArgumentMissing = "E0332", Error, "stage template parameter given no value";
    KmsKey = "E0333", Error, "KMS key the pipeline or project cannot use";
    ExistingRole = "E0334", Error, "existing role given what only a created role has";
    CrossAccount = "E0335", Error, "action in another account without what that account needs";
    StageFailure = "E0336", Error, "stage rollback CodePipeline cannot do";
    S3Location = "E0337", Error, "S3 source or output in a project a pipeline runs";
    PipelineQuota = "E0338", Error, "pipeline beyond CodePipeline's quotas";
    // Roles.
    TrustMismatch = "E0401", Error, "role does not trust the service that uses it";
    MissingPermission = "E0402", Error, "explicit role lacks a permission the pipeline needs";
    WildcardOnlyActionOnArn = "E0403", Error, "action without resource-level permissions granted on an ARN";
    UnknownIamService = "E0404", Error, "unknown IAM service";
    UnknownIamAction = "E0405", Error, "unknown IAM action";
    ResourceTypeMismatch = "E0406", Error, "action granted on resources of the wrong type";
    AllowBesideRole = "E0407", Error, "`allow` in an item with an explicit role";
    // Buildspec.
    UndeclaredVariable = "E0501", Warning, "shell variable nothing sets";
    RuntimeVersion = "E0502", Error, "runtime version the image does not install";
    UnknownImage = "E0503", Error, "unknown CodeBuild image";
    DockerNeedsPrivileged = "E0504", Error, "Docker without privileged mode";
    DoubleBuild = "E0505", Warning, "project built twice per merge";
    UnknownRuntime = "E0506", Error, "runtime the image does not offer";
    PushWithoutLogin = "E0507", Error, "image pushed without logging in to ECR";
    PushUndeclared = "E0508", Error, "image pushed to a repository not in `pushes`";
    FoldedCommand = "E0509", Error, "command split across lines without `\\`";
    RemovedCliCommand = "E0510", Error, "AWS CLI command that version 2 removed";
    FixedTagImmutable = "E0511", Error, "fixed tag pushed to an immutable repository";
    BadSubstitution = "E0512", Error, "`${name.field}` in shell text";
    UnknownCodeBuildVariable = "E0513", Error, "`CODEBUILD_` variable CodeBuild does not set";
    EnvironmentConflict = "E0514", Error, "build environment settings that do not go together";
    WebhookVariableUnset = "E0515", Warning, "webhook variable in a build no webhook starts";
    SourceHostMismatch = "E0516", Error, "project source on another host than its connection";
    UnpushedTag = "E0517", Warning, "image deployed or scanned under a tag no build pushes";
    BuildspecFileUnreadable = "E0518", Error, "buildspec file that cannot be read";
    InvalidBuildspecFile = "E0519", Error, "buildspec file CodeBuild rejects";
    BuildspecBesideFile = "E0520", Error, "buildspec written beside a buildspec file";
    UnknownBuildspecKey = "E0521", Warning, "key a buildspec does not have";
    UnexpandedVariable = "E0522", Warning, "shell variable in a project variable CodeBuild sets as written";
    ApproversWithoutApproval = "E0523", Error, "approver roles without a comment approval";
    WebhookActorNotAnId = "E0524", Error, "webhook actor that is not an account id";
    WebhookFilterWithoutEvents = "E0525", Warning, "webhook setting of a source without events";
    WebhookFilePath = "E0526", Error, "webhook file path that no changed file has";
    WebhookTagPattern = "E0527", Error, "webhook tag or branch pattern that no ref matches";
    WebhookCommitMessage = "E0528", Error, "webhook commit message filter that matches every message";
    DigestNotInImageStore = "E0529", Error, "image definitions by digest of an image the build neither pushes nor pulls";
    Unimportable = "E0530", Error, "a file `cruddur import` cannot read";
    // Output.
    MissingValue = "E0601", Error, "value needed for output is missing";
    OutputClash = "E0602", Error, "two outputs with one file name";
    // Security rules (waivable with `// cruddur-allow(CODE): reason`).
    PlaintextSecret = "S0001", Error, "plaintext secret in the environment";
    CredentialsInUrl = "S0002", Error, "credentials inside a source URL";
    ExportedSecret = "S0003", Error, "secret exported from the build";
    SecretLeakedInCommand = "S0004", Error, "secret printed by a command";
    WildcardAction = "S0005", Error, "wildcard IAM action";
    WildcardResource = "S0006", Error, "wildcard resource where a narrower one exists";
    UnrestrictedPassRole = "S0007", Error, "iam:PassRole on any role or to any service";
    PrivilegedWithoutDocker = "S0008", Warning, "privileged mode without Docker";
    DeployWithoutChecks = "S0009", Warning, "deploy with no test or image scan before it";
    MutableImageTag = "S0010", Warning, "mutable image tag pushed or deployed";
    RepositoryUnscanned = "S0011", Warning, "repository without scan on push or with mutable tags";
    HardcodedAccountId = "S0012", Warning, "hard-coded account id";
    BuildLogsDisabled = "S0013", Error, "build logs disabled";
    ArtifactEncryptionDisabled = "S0014", Error, "artifact encryption disabled";
    SecretInSource = "S0015", Error, "credential written in the program";
    PossibleSecretInSource = "S0016", Warning, "token that may be a credential written in the program";
    DownloadedScriptRun = "S0017", Warning, "script downloaded and run without a check";
    OutsiderValueRunAsCode = "S0018", Error, "branch name from a pull request run as code";
    PrivilegedPullRequestBuild = "S0019", Warning, "pull requests start a build that holds secrets or write permissions";
    UnreviewedCodeDeployed = "S0020", Warning, "pipeline deploys code a pull request or any branch brings, with no approval first";
    DeployFailureUnnoticed = "S0021", Warning, "pipeline deploys with no notification of its failures";
    UnpinnedInstall = "S0022", Warning, "tool installed from a package registry without a pinned version";
    MutableBuildImage = "S0023", Warning, "build image named by a tag that moves";
    DeployFromEveryBranch = "S0024", Warning, "pushes to every branch start a build that can deploy";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_uppercase();
        Code::ALL.iter().copied().find(|code| code.as_str() == wanted).ok_or(())
    }
}
