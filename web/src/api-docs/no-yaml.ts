// Redoc's Swagger 2.0 converter imports `yaml` without declaring it. The
// reference reads only Roster's own document, OpenAPI 3.1 in JSON, so the
// converter never runs; this stands in for the package (and keeps it out of
// the bundle).
function unsupported(): never {
  throw new Error('YAML documents are not supported here: the API reference reads JSON.');
}

export const parse = unsupported;
export const stringify = unsupported;
export default { parse, stringify };
