/**
 * The pages bench/detect-dom.ts loads (and .tmp profiling scripts can reuse): a generated
 * contact table and a text-heavy article, deterministic so every run scans the same pages.
 */
export const TABLE_ROWS = 10_000;
export const ARTICLE_BYTES = 1_000_000;

/** Deterministic pseudo-random numbers, so every run scans the same pages. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Linus', 'Radia', 'Dennis', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Torvalds', 'Perlman', 'Ritchie', 'Allen', 'Backus'];
const CITIES = ['San Francisco', 'New York', 'Chicago', 'Boston', 'Seattle', 'Austin', 'Denver', 'Atlanta'];
const AREAS = ['212', '415', '646', '312', '617', '206', '512', '303', '404', '718'];

function phone(random: () => number, i: number): string {
  const area = AREAS[i % AREAS.length]!;
  const exchange = String(200 + Math.floor(random() * 700));
  const line = String(Math.floor(random() * 10_000)).padStart(4, '0');
  switch (i % 4) {
    case 0:
      return `(${area}) ${exchange}-${line}`;
    case 1:
      return `+1 ${area} ${exchange} ${line}`;
    case 2:
      return `${area}.${exchange}.${line}`;
    default:
      return `${area}-${exchange}-${line} x${100 + (i % 900)}`;
  }
}

export function tableRow(random: () => number, i: number): string {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  return (
    `<tr><td>${i + 1}</td><td>${first} ${last}</td><td>${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com</td>` +
    `<td>${phone(random, i)}</td><td>${CITIES[i % CITIES.length]}</td><td>Updated 2025-${String((i % 12) + 1).padStart(2, '0')}-14, order #${100000 + i}</td></tr>`
  );
}

export function tablePage(rowsWanted = TABLE_ROWS): string {
  const random = prng(1);
  const rows: string[] = [];
  for (let i = 0; i < rowsWanted; i++) rows.push(tableRow(random, i));
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contacts</title>' +
    '<style>body{font:14px system-ui,sans-serif;margin:8px}td{padding:2px 8px;border-bottom:1px solid #eee}</style></head><body>' +
    `<h1>Contacts</h1><table id="contacts"><thead><tr><th>#</th><th>Name</th><th>Email</th><th>Phone</th><th>City</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    '</body></html>'
  );
}

const WORDS =
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more can out up about into them than only other time new some could these two may first then do any like my now over such our man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(
    ' ',
  );

export function articlePage(): string {
  const random = prng(2);
  const parts: string[] = [];
  let size = 0;
  let paragraph = 0;
  while (size < ARTICLE_BYTES) {
    const words: string[] = [];
    for (let i = 0; i < 80; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    if (paragraph % 5 === 0) words.splice(40, 0, `call ${phone(random, paragraph)}`);
    if (paragraph % 7 === 0) words.splice(20, 0, `on 12/03/2024 for $1,299.00 (ref 4829301)`);
    if (paragraph % 11 === 0) words.splice(60, 0, 'or sip:desk@example.com');
    const text = words.join(' ');
    const html = paragraph % 25 === 0 ? `<h2>Section ${paragraph / 25 + 1}</h2><p>${text}.</p>` : `<p>${text}. <em>${WORDS[paragraph % WORDS.length]}</em> more.</p>`;
    parts.push(html);
    size += html.length;
    paragraph++;
  }
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title>' +
    '<style>body{font:16px/1.5 Georgia,serif;max-width:40em;margin:1em auto}</style></head><body><article>' +
    `${parts.join('')}</article></body></html>`
  );
}

