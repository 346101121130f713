// The examples of the repository's examples/ folder, as build.mjs bundles them.

export interface Example {
  /** `02-cruddur-backend-fargate`: the file's or the folder's name. */
  id: string;
  /** From examples/README.md's heading: `A container on ECS Fargate`. */
  title: string;
  /** The file being edited: `02-cruddur-backend-fargate.cruddur`, or a folder's `pipeline.cruddur`. */
  main: string;
  /** Every file of the example by its path in it (a folder's `cruddur.toml`, `taskdef.json`…). */
  files: Record<string, string>;
  /** examples/README.md's "Try this mistake" for it (inline Markdown), if it has one. */
  mistake: string | null;
}

/** The example the page opens with. */
export const SEED = '02-cruddur-backend-fargate';
