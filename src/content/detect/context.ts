/**
 * Words in front of a number. A phone word ("Tel", "call", "Fax", "電話", "☎") confirms a
 * number that looks like something else (a bare 10-digit run that could be a Unix timestamp);
 * an id word right before it ("Order", "Invoice", "SKU", "ISBN") marks it as an identifier.
 */

const PHONE_WORDS = new Set(
  (
    'tel tele telephone téléphone telefon telefone telefono teléfono telf tlf tfno tél fone phone phones ph phno ' +
    'fixo comercial residencial ' +
    'call calls calling ring dial mobile mob mobil mobiltelefon handy cell cellphone cel celular portable ' +
    'fax telefax hotline helpline line landline whatsapp whats zap sms text contact contacts contato contacto ' +
    'kontakt fon rufnummer telefonnummer festnetz anruf anrufen appel appelez appeler ligue ligar tollfree toll ' +
    'freephone freecall office direct dd switchboard reception enquiries inquiries support helpdesk emergency ' +
    'tty voice voip skype viber telegram wechat फोन फ़ोन मोबाइल संपर्क дзвоніть телефон тел'
  ).split(' '),
);

/** One-letter labels count only right before the number: "T: 020 7946 0958", "M. 0412 345 678". */
const LETTER_LABELS = new Set(['t', 'm', 'f', 'p', 'h', 'w', 'o', 'c', 'tf']);

const ID_WORDS = new Set(
  (
    'ord invoice inv receipt ref reference refno id ids account acct acc tracking track trk ' +
    'shipment awb parcel consignment sku item art article artikel artnr part model isbn issn ean upc gtin asin ' +
    'serial sn imei iccid meid ticket case po confirmation conf transaction txn txid trx ' +
    'pnr policy claim member membership passport license licence vin patent ' +
    'bestellnummer bestellnr rechnung rechnungsnummer kundennummer kundennr kunden auftrag auftrags auftragsnummer auftragsnr vorgang ' +
    'aktenzeichen az konto kontonummer kontonr vertrag vertrags vertragsnummer vertragsnr mitglieds mitgliedsnummer mitgliedsnr ' +
    'zähler zählernummer zählernr beleg belegnummer belegnr steuer steuernummer steuerid idnr bestell rechnungs ' +
    'versicherungs versicherungsnummer kto npi mrn code codes contrat identifiant complaint docket folio utr ' +
    'matrícula matricula conta gutschein gutscheincode voucher coupon vitale ticketnummer vertragskonto vorgangsnummer ' +
    'kassenzeichen geschäftszeichen buchungsnummer suivi série serie adhérent adherent cnh renavam produit pf ' +
    'facture référence réf dossier nir insee fiscal sécu sociale nota fatura boleto cod cód codigo código cpf cnpj rg protocolo ' +
    'roll challan aadhaar aadhar pan gst gstin uan abn acn tfn medicare nhs ssn ein tin vat ust ustid siret siren version ' +
    'ver build release rev revision ip timestamp ts epoch unix zip zipcode postcode postal plz cep pin pincode ' +
    'otp lot batch barcode iban bic swift routing aba card visa mastercard amex cvv amount total price balance ' +
    'qty quantity population score rank page pages loto lotto lottery tirage draw keno winning gagnants isin wkn fedex ups dhl usps tnt sendung sendungsnummer paket colis rastreio rastreamento encomenda awb 注文番号 伝票番号 追跡番号 郵便番号 会員番号 品番 型番 請求書'
  ).split(' '),
);

/**
 * Words that name an identifier but also a business line: "Order No. 4155550101" is an order,
 * "Orders: 0800 123 4568" and "Service client : 09 69 32 15 15" are phone lines. After one of
 * them a number is an identifier only when a number word ("No.", "n°", "#") comes with it, or
 * when its run opens with one long bare group of digits (see `Context.idIfBare`).
 */
const LINE_ID_WORDS = new Set('order orders customer cust client cliente bestellung commande pedido consumer'.split(' '));

/**
 * Words whose numbers are usually phone lines or codes of letters: an identifier only after a
 * number word ("Booking no. 4155550101", "Bill no 9876543210"), never on their own ("Booking:
 * 7012345678", "call Bill 0412 345 678").
 */
const NUMBERED_ID_WORDS = new Set('booking reservation registration enrolment enrollment application loan job quote bill service'.split(' '));

/** Neutral words that say what follows is a number: after a line word they make it an identifier. */
const NUMBER_WORDS = new Set('n no nr nº n° num number nummer numéro numero número नंबर'.split(' '));

/** Skipped when looking for the word right before a number: "Order No. 123", "Tel. Nr. 030". */
const NEUTRAL = new Set([
  ...NUMBER_WORDS,
  ...'numbers is at on or our your the a an de du des la le der die das unter sous au em para please us me to via of for'.split(' '),
]);

export interface Context {
  /** The label right before the number (neutral words skipped) is a phone word or symbol. */
  phone: boolean;
  /** The label right before the number (neutral words skipped) is an identifier word or # / №. */
  id: boolean;
  /** The label is a word like "Order" or "client": the number is an identifier if its run opens with one long bare group. */
  idIfBare: boolean;
}

const WINDOW = 32;

function isLetter(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0xc0 && c <= 0x24f) return true; // Latin-1 supplement and Latin Extended-A/B
  return c >= 0x370 && /\p{L}|\p{M}/u.test(String.fromCharCode(c));
}

function isPhoneSymbol(c: number): boolean {
  // ☎ ☏ ✆ ℡ 📞 📱 (the emoji are surrogate pairs; their low halves identify them)
  return c === 0x260e || c === 0x260f || c === 0x2706 || c === 0x2121 || c === 0xdcde || c === 0xdcf1 || c === 0xdcf2;
}

function phoneWord(word: string): boolean {
  if (PHONE_WORDS.has(word)) return true;
  if (word.charCodeAt(0) >= 0x3000) {
    const w = word.normalize('NFKC').toLowerCase();
    return w.includes('電話') || w.includes('携帯') || w.includes('tel') || w.includes('fax') || w.includes('問い合わせ');
  }
  return false;
}

function idWord(word: string): boolean {
  if (ID_WORDS.has(word)) return true;
  if (word.charCodeAt(0) >= 0x3000) {
    return /番号|伝票|請求|コード|シリアル|得点/.test(word) && !/電話|携帯|fax|ＦＡＸ|ＴＥＬ/i.test(word);
  }
  return false;
}

/** "ご注文は" (orders): a line word in Japanese, unless it says number (注文番号, an identifier word). */
function lineIdWord(word: string): boolean {
  return LINE_ID_WORDS.has(word) || (word.charCodeAt(0) >= 0x3000 && word.includes('注文'));
}

/** The letters right before `pos` are a phone word ("TEL03-1234-5678"; not a one-letter label). */
export function gluedPhoneWord(text: string, pos: number): boolean {
  let i = pos - 1;
  while (i >= 0 && pos - i <= 16 && isLetter(text.charCodeAt(i))) i--;
  if (i >= 0 && isLetter(text.charCodeAt(i))) return false;
  const word = text.slice(i + 1, pos).toLowerCase();
  return word.length > 1 && phoneWord(word);
}

/** Characters allowed between a label and its number: spaces and label punctuation. */
function isLabelPunct(c: number): boolean {
  return (
    c === 32 || c === 0xa0 || c === 0x3000 || c === 58 || c === 0xff1a || c === 46 || c === 45 || c === 0x2013 ||
    c === 47 || c === 0xb0 || c === 0xba || c === 61
  );
}

/**
 * Finds the label of the number at `pos`: the nearest word before it, reached over spaces,
 * label punctuation (": . - /") and neutral words ("No.", "number", "at"), on the same line and
 * table cell, at most `WINDOW` characters back.
 */
export function contextBefore(text: string, pos: number): Context {
  let i = pos - 1;
  const stop = Math.max(0, pos - WINDOW);
  let numberWord = false;
  while (i >= stop) {
    const c = text.charCodeAt(i);
    if (isPhoneSymbol(c)) return PHONE;
    // "#123…", "№ 123…"; but "Phone #: (415) 555-0101"
    if (c === 35 || c === 0xff03 || c === 0x2116) return contextBefore(text, i).phone ? PHONE : ID;
    if (c === 0xfe0f) {
      i--; // the emoji presentation selector after ☎
      continue;
    }
    if (!isLetter(c)) {
      if (!isLabelPunct(c)) break;
      i--;
      continue;
    }
    const end = i + 1;
    while (i >= 0 && isLetter(text.charCodeAt(i))) i--;
    const word = text.slice(i + 1, end).toLowerCase();
    // "S/N 7135550123", "P/N 0412345678", "A/c No. 9876543210": serial, part and account numbers
    // (not "n" and a "P:" label)
    if ((word === 'n' || word === 'c') && i >= 1 && text.charCodeAt(i) === 47 && /[spa]/i.test(text[i - 1]!) && !isLetter(text.charCodeAt(i - 2))) return ID;
    if (NEUTRAL.has(word)) {
      if (NUMBER_WORDS.has(word)) numberWord = true;
      continue;
    }
    if (LETTER_LABELS.has(word) || phoneWord(word)) return PHONE;
    if (idWord(word)) return ID;
    if (lineIdWord(word)) {
      if (numberWord) return ID;
      const before = wordBeforeLineWord(text, i);
      return before === 'number' ? ID : before === 'service' ? NONE : LINE;
    }
    return numberWord && NUMBERED_ID_WORDS.has(word) ? ID : NONE;
  }
  return NONE;
}

/** Words that make a line word a service: "Service client", "Relation client", "Atendimento ao cliente". */
const SERVICE_WORDS = new Set('service services relation espace atendimento serviço servicio care'.split(' '));

/**
 * What comes before a line word that ends at `i` (over spaces and neutral words): a service word
 * ("Service client") or a number word ("N° de commande", "Número do pedido").
 */
function wordBeforeLineWord(text: string, i: number): 'service' | 'number' | undefined {
  for (let words = 0; words < 2; words++) {
    while (i >= 0 && isSpaceOrApostrophe(text.charCodeAt(i))) i--;
    // "N°", "Nº": a sign, not a letter, ends the word
    if (/^n[°º]$/i.test(text.slice(i - 1, i + 1))) return 'number';
    const end = i + 1;
    while (i >= 0 && isLetter(text.charCodeAt(i))) i--;
    const word = text.slice(i + 1, end).toLowerCase();
    if (SERVICE_WORDS.has(word)) return 'service';
    if (NUMBER_WORDS.has(word)) return 'number';
    if (!NEUTRAL.has(word)) return undefined;
  }
  return undefined;
}

function isSpaceOrApostrophe(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 39 || c === 0x2019;
}

const PHONE: Context = { phone: true, id: false, idIfBare: false };
const ID: Context = { phone: false, id: true, idIfBare: false };
const LINE: Context = { phone: false, id: false, idIfBare: true };
const NONE: Context = { phone: false, id: false, idIfBare: false };
