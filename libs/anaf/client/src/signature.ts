/**
 * ANAF's signed downloads (ANAF-EFACTURA.md "descarcare"): the ZIP of `descarcare` holds exactly `<index>.xml` (the
 * invoice as uploaded, or ANAF's error report) and `semnatura_<index>.xml`, a detached XMLDSig `Signature` made by
 * the Ministry of Finance over the whole first file, with the signing certificate in `KeyInfo/X509Data`.
 * {@link readAnafZip} takes the ZIP apart, {@link verifyAnafSignature} checks the signature (xml-crypto),
 * {@link verifyAnafZip} does both for the inbox sync (issue 10 point 2: "verified and archived").
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { CetateError } from '@cetate/shared-errors';
import { SignedXml } from 'xml-crypto';
import { unzipBuffer } from './zip.js';

/** XMLDSig namespace (W3C XML Signature Syntax and Processing). */
const NS_DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** Stable codes of {@link AnafSignatureError}. */
export type AnafSignatureErrorCode = 'ANAF_ZIP_UNREADABLE' | 'ANAF_ZIP_UNEXPECTED_CONTENT' | 'ANAF_TRUSTED_CERTIFICATE_INVALID';

/**
 * A signed ANAF download cannot be read, or the verifier is misconfigured (a {@link CetateError}). A signature that
 * does not verify is never an error: it is `valid: false` of {@link AnafSignatureVerification}.
 * - `ANAF_ZIP_UNREADABLE`: the bytes are not a ZIP (or a damaged one); keep the bytes, download again later;
 * - `ANAF_ZIP_UNEXPECTED_CONTENT`: a ZIP, but not exactly `<index>.xml` + `semnatura_<index>.xml` (`files` lists
 *   what it holds);
 * - `ANAF_TRUSTED_CERTIFICATE_INVALID`: a PEM of `trustedCertificates` is not an X.509 certificate (configuration).
 */
export class AnafSignatureError extends CetateError {
  declare readonly code: AnafSignatureErrorCode;
  /** Names of the files of the ZIP, for `ANAF_ZIP_UNEXPECTED_CONTENT`. */
  readonly files?: string[];
  constructor(code: AnafSignatureErrorCode, message: string, opts: { files?: string[]; cause?: unknown } = {}) {
    super(code, message, opts.cause === undefined ? {} : { cause: opts.cause });
    if (opts.files) this.files = opts.files;
  }
}

/** The two files of a `descarcare` ZIP. */
export interface AnafZipContent {
  /** `index_incarcare` (ANAF's upload index, the `id_solicitare` of the message list): digits of `<index>.xml`. */
  indexIncarcare: string;
  /** `<index>.xml` as stored in the ZIP: the invoice (accepted upload, received invoice) or ANAF's error report. */
  xml: Buffer;
  /** `semnatura_<index>.xml` as stored in the ZIP: the detached XMLDSig signature of {@link xml}. */
  signatureXml: Buffer;
}

const MAIN_RE = /^(\d+)\.xml$/i;
const SIGNATURE_RE = /^semnatura_(\d+)\.xml$/i;

async function unzipOrThrow(zip: Buffer): Promise<{ name: string; content: Buffer }[]> {
  try {
    return await unzipBuffer(zip);
  } catch (err) {
    throw new AnafSignatureError('ANAF_ZIP_UNREADABLE', `the ANAF download is not a readable ZIP: ${(err as Error).message}`, { cause: err });
  }
}

/** The `<index>.xml` of the files, and the signature file of the same index when there is one. */
function splitFiles(files: { name: string; content: Buffer }[]): { index: string; main: Buffer; signature?: Buffer } {
  const names = files.map((f) => f.name);
  const unexpected = (why: string) =>
    new AnafSignatureError('ANAF_ZIP_UNEXPECTED_CONTENT', `the ANAF ZIP ${why} (it holds: ${names.join(', ') || 'nothing'})`, { files: names });
  const mains = files.filter((f) => MAIN_RE.test(f.name));
  if (mains.length !== 1) throw unexpected('does not hold exactly one <index_incarcare>.xml');
  const main = mains[0]!;
  const index = MAIN_RE.exec(main.name)![1]!;
  const others = files.filter((f) => f !== main);
  const signature = others.find((f) => SIGNATURE_RE.exec(f.name)?.[1] === index);
  if (others.some((f) => f !== signature)) throw unexpected(`holds files other than ${index}.xml and semnatura_${index}.xml`);
  return signature ? { index, main: main.content, signature: signature.content } : { index, main: main.content };
}

/**
 * Takes a `descarcare` ZIP apart (ANAF-EFACTURA.md "descarcare": exactly `<index_incarcare>.xml` and
 * `semnatura_<index_incarcare>.xml`, at the root of the ZIP; the `.xml` extension in any case).
 *
 * @param zip the ZIP exactly as downloaded
 * @returns the upload index and the two files' bytes, unchanged
 * @throws AnafSignatureError `ANAF_ZIP_UNREADABLE` (not a ZIP), `ANAF_ZIP_UNEXPECTED_CONTENT` (another set of files,
 *   e.g. the signature file missing, two invoices, an extra file)
 */
export async function readAnafZip(zip: Buffer): Promise<AnafZipContent> {
  const { index, main, signature } = splitFiles(await unzipOrThrow(zip));
  if (!signature) {
    throw new AnafSignatureError('ANAF_ZIP_UNEXPECTED_CONTENT', `the ANAF ZIP has ${index}.xml but no semnatura_${index}.xml`, {
      files: [`${index}.xml`],
    });
  }
  return { indexIncarcare: index, xml: main, signatureXml: signature };
}

/** Outcome of {@link verifyAnafSignature}. */
export interface AnafSignatureVerification {
  /**
   * True when the signature value verifies with the certificate embedded in the signature, every reference is the
   * whole document (`URI=""`) and its digest matches the XML, and (when `trustedCertificates` were given) that
   * certificate is one of them.
   */
  valid: boolean;
  /** Why `valid` is false, in words for an operator (absent when valid). */
  reason?: string;
  /** Subject of the embedded certificate (`CN=...`, one attribute a line joined with `, `), when it could be read. */
  certificateSubject?: string;
  /** End of validity of the embedded certificate, when it could be read (reported, not enforced: see below). */
  certificateNotAfter?: Date;
}

/** Options of {@link verifyAnafSignature}. */
export interface VerifyAnafSignatureOptions {
  /**
   * PEM certificates the signer's certificate must be one of (compared by DER equality; a string may hold several
   * PEM blocks). Production configures the Ministry of Finance's signing certificate; tests the simulator's
   * (`certificatePem` of `startAnafSimulator`). Absent: any certificate is accepted (the signature only proves the
   * file is intact, not who made it). An empty list trusts nothing.
   */
  trustedCertificates?: string[];
}

/** A DOM of `xml`, or the first parse error (warnings are ignored; errors and fatal errors stop). */
function parseStrict(xml: string): { root?: Element; error?: string } {
  let error: string | undefined;
  try {
    const root = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') throw new Error(String(msg));
      },
    }).parseFromString(xml, 'application/xml').documentElement;
    if (root) return { root };
    error = 'no root element';
  } catch (err) {
    error = (err as Error).message;
  }
  return { error };
}

function childrenNS(el: Element | undefined, localName: string): Element[] {
  const out: Element[] = [];
  if (!el) return out;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && (n as Element).namespaceURI === NS_DSIG) out.push(n as Element);
  }
  return out;
}

/** Text of a buffer or string: UTF-8 (ANAF's files are UTF-8), a byte order mark dropped. */
function utf8(x: Buffer | string): string {
  const s = typeof x === 'string' ? x : x.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** `CN=..., O=..., C=RO`: the subject of `cert` on one line. */
const subjectOf = (cert: X509Certificate): string => cert.subject.split('\n').join(', ');

/** Every certificate of the PEM strings. @throws AnafSignatureError `ANAF_TRUSTED_CERTIFICATE_INVALID` */
function trustedDers(pems: string[]): Buffer[] {
  return pems.flatMap((pem, i) => {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    if (!blocks) throw new AnafSignatureError('ANAF_TRUSTED_CERTIFICATE_INVALID', `trustedCertificates[${i}] holds no PEM certificate`);
    return blocks.map((b) => {
      try {
        return new X509Certificate(b).raw;
      } catch (err) {
        throw new AnafSignatureError('ANAF_TRUSTED_CERTIFICATE_INVALID', `trustedCertificates[${i}] is not an X.509 certificate: ${(err as Error).message}`, { cause: err });
      }
    });
  });
}

/**
 * Checks the detached XMLDSig signature of an ANAF download (`semnatura_<index>.xml` over `<index>.xml`,
 * ANAF-EFACTURA.md "descarcare"; W3C XMLDSig core validation) with xml-crypto:
 * 1. the signature file is a well-formed `ds:Signature` with one `SignedInfo` whose every `Reference` has
 *    `URI=""`, i.e. covers the whole invoice document (a reference to a fragment, `#id`, would let the rest of the
 *    file change unnoticed, so it is refused);
 * 2. the certificate is `KeyInfo/X509Data/X509Certificate` of the signature (the first one); xml-crypto is given it
 *    as `publicCert` (by default xml-crypto ignores `KeyInfo`);
 * 3. `checkSignature(invoiceXml)`: each reference's digest over the invoice document (as canonicalised by the
 *    reference's transforms; comments are not covered, as XMLDSig says for `URI=""`) and the `SignatureValue` over
 *    the canonical `SignedInfo` (RSA-SHA256 or another asymmetric algorithm xml-crypto knows; HMAC is refused).
 *    xml-crypto returns `false` for a digest mismatch but throws for a bad signature value: both become
 *    `valid: false` here;
 * 4. with `trustedCertificates`, the embedded certificate must equal one of them (DER bytes).
 * The certificate's validity period is reported, not enforced: an archived ZIP is verified again years later.
 *
 * @param xml `<index>.xml`: bytes (decoded as UTF-8) or text
 * @param signatureXml `semnatura_<index>.xml`; `null`/`undefined`/empty for a ZIP without it (then `valid: false`)
 * @param opts {@link VerifyAnafSignatureOptions}
 * @returns `{ valid, reason?, certificateSubject?, certificateNotAfter? }`; never throws for a bad or missing signature
 * @throws AnafSignatureError `ANAF_TRUSTED_CERTIFICATE_INVALID` when a trusted PEM cannot be read (configuration)
 */
export function verifyAnafSignature(
  xml: Buffer | string,
  signatureXml: Buffer | string | null | undefined,
  opts: VerifyAnafSignatureOptions = {},
): AnafSignatureVerification {
  const trusted = opts.trustedCertificates === undefined ? undefined : trustedDers(opts.trustedCertificates);
  const invalid = (reason: string, cert?: X509Certificate): AnafSignatureVerification => ({
    valid: false,
    reason,
    ...(cert ? { certificateSubject: subjectOf(cert), certificateNotAfter: new Date(cert.validTo) } : {}),
  });
  if (signatureXml === null || signatureXml === undefined || signatureXml.length === 0) {
    return invalid('no signature: the semnatura_<index>.xml file is missing or empty');
  }
  const sigText = utf8(signatureXml);
  const sig = parseStrict(sigText);
  if (!sig.root) return invalid(`the signature file is not well-formed XML: ${sig.error}`);
  if (sig.root.localName !== 'Signature' || sig.root.namespaceURI !== NS_DSIG) {
    return invalid(`the signature file's root is {${sig.root.namespaceURI ?? ''}}${sig.root.localName}, not an XMLDSig Signature`);
  }
  const signedInfo = childrenNS(sig.root, 'SignedInfo');
  if (signedInfo.length !== 1) return invalid(`the signature has ${signedInfo.length} SignedInfo elements, not one`);
  const references = childrenNS(signedInfo[0], 'Reference');
  if (references.length === 0) return invalid('the signature has no Reference');
  const partial = references.find((r) => r.getAttribute('URI') !== '' || !r.hasAttribute('URI'));
  if (partial) {
    return invalid(`the signature references ${partial.hasAttribute('URI') ? `URI="${partial.getAttribute('URI')}"` : 'no URI'}, not the whole document (URI="")`);
  }
  const certEl = childrenNS(childrenNS(childrenNS(sig.root, 'KeyInfo')[0], 'X509Data')[0], 'X509Certificate')[0];
  const certB64 = certEl?.textContent?.replace(/\s+/g, '') ?? '';
  if (!certB64) return invalid('the signature carries no KeyInfo/X509Data/X509Certificate');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(certB64, 'base64'));
  } catch (err) {
    return invalid(`the signature's X509Certificate cannot be read: ${(err as Error).message}`);
  }

  const docText = utf8(xml);
  const doc = parseStrict(docText);
  if (!doc.root) return invalid(`the signed XML is not well-formed: ${doc.error}`, cert);

  const verifier = new SignedXml({ publicCert: cert.toString() });
  let checked: boolean;
  try {
    verifier.loadSignature(sigText);
    checked = verifier.checkSignature(docText);
  } catch (err) {
    const message = (err as Error).message;
    return invalid(
      /signature value .* is incorrect/.test(message)
        ? 'the SignatureValue does not verify with the embedded certificate (the signature was altered or made with another key)'
        : `the signature cannot be checked: ${message}`,
      cert,
    );
  }
  if (!checked) {
    const detail = verifier.getReferences().find((r) => r.validationError)?.validationError?.message;
    return invalid(`the XML does not match the signed digest (the file was altered after signing)${detail ? `: ${detail}` : ''}`, cert);
  }
  if (trusted && !trusted.some((der) => der.equals(cert.raw))) {
    return invalid(`the signing certificate (${subjectOf(cert)}, serial ${cert.serialNumber}) is not a trusted certificate`, cert);
  }
  return { valid: true, certificateSubject: subjectOf(cert), certificateNotAfter: new Date(cert.validTo) };
}

/** Outcome of {@link verifyAnafZip}. */
export interface AnafZipVerification {
  /** `index_incarcare` from the name `<index>.xml`. */
  indexIncarcare: string;
  /** `<index>.xml` as stored in the ZIP. */
  xml: Buffer;
  /** `semnatura_<index>.xml`, `null` when the ZIP lacks it. */
  signatureXml: Buffer | null;
  /** {@link verifyAnafSignature} of the two files (`valid: false` when the signature file is missing). */
  verification: AnafSignatureVerification;
}

/**
 * {@link readAnafZip} then {@link verifyAnafSignature}, for the inbox sync: a ZIP whose signature file is missing is
 * still read (`signatureXml: null`, `verification.valid` false), so the invoice can be archived and flagged.
 *
 * @param zip the `descarcare` ZIP exactly as downloaded
 * @param opts {@link VerifyAnafSignatureOptions}
 * @throws AnafSignatureError `ANAF_ZIP_UNREADABLE`, `ANAF_ZIP_UNEXPECTED_CONTENT` (not exactly one `<index>.xml`, or a
 *   file other than its signature), `ANAF_TRUSTED_CERTIFICATE_INVALID`
 */
export async function verifyAnafZip(zip: Buffer, opts: VerifyAnafSignatureOptions = {}): Promise<AnafZipVerification> {
  const { index, main, signature } = splitFiles(await unzipOrThrow(zip));
  return {
    indexIncarcare: index,
    xml: main,
    signatureXml: signature ?? null,
    verification: signature
      ? verifyAnafSignature(main, signature, opts)
      : { ...verifyAnafSignature(main, null, opts), reason: `no signature: the ZIP has no semnatura_${index}.xml` },
  };
}
