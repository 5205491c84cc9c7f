// tokenx (2.2) cuts a text into maximal runs of whitespace, of ASCII punctuation and of CJK
// punctuation, with the words between, and estimates each piece on its own (a whitespace piece also
// looks at the character before it, but only when it holds a line break). So a JSON array's count
// is its elements' counts with the punctuation runs where they meet (`}]}` `,` `{"`) counted joined:
// exact, and an element's count can be kept. The class is tokenx's `PATTERNS.punctuation`;
// joined-json-counter.test.ts checks the sum against tokenx's count of the joined text.
const punctuation = '.,!?;(){}[]<>:/\\|@#$%^&*+=`~_"-';
const isPunctuation = new Uint8Array(128);
for (const character of punctuation) isPunctuation[character.charCodeAt(0)] = 1;

/** An element's count without its leading and trailing punctuation runs, and those runs. */
interface ElementCount {
  inner: number;
  lead: string;
  trail: string;
}

/**
 * `countJsonArray` for a counter whose count adds up over tokenx's pieces (see above): the count of
 * `[e1,e2,…]` from per-element counts, kept per distinct element (tool lists repeat tool by tool
 * across sessions: the same built-in tools next to different MCP tools). Bounded: once the kept
 * elements hold `limitChars` characters it starts afresh.
 */
export function createJoinedJsonCounter(count: (text: string) => number, limitChars = 1024 * 1024): (elements: readonly string[]) => number {
  const counts = new Map<string, ElementCount>();
  let keptChars = 0;
  const elementCount = (element: string): ElementCount | undefined => {
    const kept = counts.get(element);
    if (kept !== undefined) return kept;
    // A line break makes a whitespace piece depend on what precedes it (JSON.stringify never writes one).
    if (element.includes('\n')) return undefined;
    let start = 0;
    while (start < element.length && isPunctuation[element.charCodeAt(start)] === 1) start += 1;
    if (start === element.length) return undefined;
    let end = element.length;
    while (isPunctuation[element.charCodeAt(end - 1)] === 1) end -= 1;
    const lead = element.slice(0, start);
    const trail = element.slice(end);
    const counted = { inner: count(element) - count(lead) - count(trail), lead, trail };
    if (keptChars + element.length > limitChars) {
      counts.clear();
      keptChars = 0;
    }
    counts.set(element, counted);
    keptChars += element.length;
    return counted;
  };
  return (elements) => {
    let total = 0;
    let before = '[';
    for (const element of elements) {
      const counted = elementCount(element);
      if (counted === undefined) return count(`[${elements.join(',')}]`);
      total += count(before + counted.lead) + counted.inner;
      before = `${counted.trail},`;
    }
    return total + count(elements.length === 0 ? '[]' : `${before.slice(0, -1)}]`);
  };
}
