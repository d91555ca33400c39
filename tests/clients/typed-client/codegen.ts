// GraphQL Code Generator: TypeScript types for the operations in src/, from the committed
// schema (no server, no introspection). `npm run codegen` runs it from this folder.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**"],
  // Imports with their extension, so the compiled example also runs as Node's ES modules.
  importExtension: ".js",
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // A scalar of the schema missing below fails the generation instead of typing as any.
        strictScalars: true,
        scalars: {
          // ISO 8601 text, e.g. 2025-09-22T15:10:55+08:00 and 2025-09-30.
          DateTime: "string",
          Date: "string",
          // graphene's JSONString is JSON encoded as a string on the wire (MediaEmbedBlock.rawEmbed).
          JSONString: "string",
          PositiveInt: "number",
          // Cleaned by the server's allowlist (README, "HTML from the API"); still text to TypeScript.
          HTML: "string",
          EmbedHTML: "string",
          // Only as the booking form's values: field name to text, or to several (interests).
          GenericScalar: "Record<string, string | string[]>",
        },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
