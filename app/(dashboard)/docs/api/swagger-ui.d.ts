// swagger-ui-dist ships no types: the part of its bundle's API that the reference page uses.
declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  type SwaggerUIOptions = {
    url: string;
    domNode: HTMLElement;
    validatorUrl: string | null;
    queryConfigEnabled?: boolean;
    deepLinking?: boolean;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    displayOperationId?: boolean;
    displayRequestDuration?: boolean;
    filter?: boolean | string;
    persistAuthorization?: boolean;
    tryItOutEnabled?: boolean;
    /** Called once the document is loaded and rendered. */
    onComplete?: () => void;
  };
  const SwaggerUI: (options: SwaggerUIOptions) => unknown;
  export default SwaggerUI;
}
