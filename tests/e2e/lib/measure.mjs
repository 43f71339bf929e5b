// Figures about what the browser downloaded, read from Resource Timing.

/** Bytes of response bodies as sent (compressed), summed over the document and every resource so far. */
export async function encodedBytes(page) {
  return page.evaluate(() => {
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    return entries.reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0);
  });
}

/** Per-resource breakdown: [{ name, encoded, decoded }]. */
export async function resources(page) {
  return page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .map((entry) => ({ name: new URL(entry.name).pathname, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })));
}
