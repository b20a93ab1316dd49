/**
 * A generated contact table of any size, deterministic: name, e-mail, phone (varied US notations) and
 * a note with a date and a ticket id (hard negatives). Four cells a row (9 DOM nodes) to keep the
 * 100k-row page loadable on a small machine.
 */

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

const GIVEN = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Parker', 'Quinn', 'Riley', 'Skyler', 'Taylor'];
const FAMILY = ['Nguyen', 'Garcia', 'Smith', 'Okafor', 'Kowalski', 'Haddad', 'Larsen', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Brennan', 'Ivanova', 'Chen'];
const TOWNS = ['Oakland', 'Portland', 'Tucson', 'Raleigh', 'Madison', 'Boise', 'Omaha', 'Richmond', 'Spokane', 'Albany'];
const AREA_CODES = ['415', '510', '503', '520', '919', '608', '208', '402', '804', '509'];

function phoneNumber(next: () => number, row: number): string {
  const area = AREA_CODES[row % AREA_CODES.length]!;
  const exchange = 200 + Math.floor(next() * 700);
  const line = String(Math.floor(next() * 10_000)).padStart(4, '0');
  switch (row % 3) {
    case 0:
      return `(${area}) ${exchange}-${line}`;
    case 1:
      return `+1 ${area}-${exchange}-${line}`;
    default:
      return `${area}.${exchange}.${line}`;
  }
}

export function contactTablePage(rows: number, seed = 7): string {
  const next = random(seed);
  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contacts</title>',
    '<style>body{font:13px sans-serif;margin:8px}td,th{padding:1px 6px;text-align:left}</style></head><body>',
    `<h1>Contacts (${rows.toLocaleString('en')})</h1><table><thead><tr><th>Name</th><th>E-mail</th><th>Phone</th><th>Note</th></tr></thead><tbody>`,
  ];
  for (let row = 0; row < rows; row++) {
    const given = GIVEN[Math.floor(next() * GIVEN.length)]!;
    const family = FAMILY[Math.floor(next() * FAMILY.length)]!;
    const month = String(1 + (row % 12)).padStart(2, '0');
    parts.push(
      `<tr><td>${given} ${family}</td><td>${given.toLowerCase()}.${family.toLowerCase()}${row}@example.org</td>` +
        `<td>${phoneNumber(next, row)}</td><td>${TOWNS[row % TOWNS.length]}, met 2024-${month}-0${1 + (row % 9)}, ticket ${500000 + row}</td></tr>`,
    );
  }
  parts.push('</tbody></table></body></html>');
  return parts.join('');
}
