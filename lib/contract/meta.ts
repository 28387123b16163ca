// The API about itself: its OpenAPI document.
import { z } from "zod";
import { operation } from "./define";

const tag = "Meta";

/** The OpenAPI document, loosely: its top-level fields are checked, the rest is passed as it is. */
export const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().meta({ description: "The OpenAPI version of the document (3.1.x)." }),
    info: z
      .looseObject({
        title: z.string().meta({ description: "The API's name." }),
        version: z.string().meta({ description: "The API's version." }),
        description: z.string().meta({ description: "An introduction: authentication, errors, dates and ids." }),
      })
      .meta({ description: "The API's name, version and introduction." }),
    servers: z
      .array(
        z.looseObject({
          url: z.string().meta({ description: "The server's public base URL (TESSERA_PUBLIC_URL)." }),
          description: z.string().meta({ description: "What the server is." }),
        }),
      )
      .meta({ description: "The server that answered, at its public URL." }),
    tags: z
      .array(
        z.looseObject({
          name: z.string().meta({ description: "The group's name." }),
          description: z.string().meta({ description: "What the group holds." }),
        }),
      )
      .meta({ description: "The groups of operations, one per resource." }),
    security: z.array(z.record(z.string(), z.array(z.string()))).meta({ description: "The default security requirement (bearer)." }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())).meta({ description: "Every operation, by path and method." }),
    components: z
      .looseObject({})
      .meta({ description: "Shared schemas (`schemas`), error responses (`responses`), headers and the bearer security scheme." }),
  })
  .meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document." });

export const metaOperations = [
  operation({
    id: "openapi.get",
    method: "GET",
    path: "/api/v1/openapi.json",
    tag,
    summary: "Get the OpenAPI document",
    description:
      "This API's OpenAPI 3.1 document, generated from its contract: every operation with its parameters, request and response schemas, examples, and error answers. The API reference page (/docs/api) renders it.",
    auth: "none",
    permission: "public",
    status: 200,
    output: openApiDocumentSchema,
    outputDescription: "The OpenAPI document (JSON).",
    errors: [],
    examples: {
      response: {
        openapi: "3.1.1",
        info: { title: "Tessera API", version: "0.1.0", description: "The REST API of Tessera…" },
        servers: [{ url: "https://tessera.example.org", description: "This Tessera server" }],
        tags: [{ name: "Meta", description: "Get the OpenAPI document." }],
        security: [{ bearerAuth: [] }],
        paths: { "/api/v1/openapi.json": { get: { operationId: "openapi.get", summary: "Get the OpenAPI document" } } },
        components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
      },
    },
  }),
] as const;
