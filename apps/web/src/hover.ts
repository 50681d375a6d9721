/**
 * Values on hover for the page's plots: Vega's SVG labels each point with its fields
 * (`aria-label`, from the Vega-Lite encoding); a `<title>` with the same text makes the browser
 * show it as a tooltip. The SVG stays static (no script), as in the HTML report.
 */
export function withHoverTitles(svg: string): string {
  return svg.replace(
    /<path aria-label="([^"]*)" role="graphics-symbol"([^>]*?)(\/>|>)/g,
    (_all, label: string, rest: string, end: string) =>
      end === "/>"
        ? `<path aria-label="${label}" role="graphics-symbol"${rest}><title>${label}</title></path>`
        : `<path aria-label="${label}" role="graphics-symbol"${rest}><title>${label}</title>`,
  );
}
