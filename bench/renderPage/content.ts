/** The Markdown of bench document `i`: two pages, so every panel shows its page buttons. */
export function benchText(i: number): string {
  return (
    `# Report ${i}\n\nQuarterly review of line ${i}. ` +
    'The figures below are read by the team in the room. '.repeat(40) +
    '\n\n## Next steps\n\n- check\n- sign\n- anchor\n\n' +
    'More text on the second page. '.repeat(120)
  );
}
