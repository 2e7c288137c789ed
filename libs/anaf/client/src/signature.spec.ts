import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { conformanceDir } from '@cetate/platform-testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the simulator's signer stands in for the Ministry of Finance
import { defaultSigningMaterial, signDetached } from '@cetate/anaf-sim';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { AnafSignatureError, readAnafZip, verifyAnafSignature, verifyAnafZip } from './index.js';

const INVOICE = readFileSync(join(conformanceDir(), 'invoices/ro-phive/ubl_b2g_example1.xml'));
const SIM = defaultSigningMaterial();
const SIGNATURE = signDetached(INVOICE.toString('utf8'), SIM);
/** A real CA certificate from Node's bundle: a certificate that is not the simulator's. */
const OTHER_CERT = rootCertificates[0]!;
const b64 = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');

/** A ZIP as ANAF's descarcare sends it (yazl, like the simulator). */
function zipOf(files: { name: string; content: Buffer | string }[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addBuffer(Buffer.from(f.content), f.name);
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.end();
  });
}

/** `s` with `from` replaced once; fails when `from` is not in it (a test must not pass on an unchanged input). */
function edit(s: string, from: string | RegExp, to: string | ((m: string) => string)): string {
  const out = s.replace(from, to as string);
  expect(out, `${String(from)} is in the input`).not.toBe(s);
  return out;
}

describe('verifyAnafSignature', () => {
  it('a signature made by the simulator over the invoice verifies, trusted or not, and names the certificate', () => {
    const open = verifyAnafSignature(INVOICE, SIGNATURE);
    expect(open).toMatchObject({ valid: true });
    expect(open.reason).toBeUndefined();
    expect(open.certificateSubject).toMatch(/CN=/);
    expect(open.certificateNotAfter).toBeInstanceOf(Date);
    expect(verifyAnafSignature(INVOICE.toString('utf8'), Buffer.from(SIGNATURE), { trustedCertificates: [OTHER_CERT, SIM.certificatePem] }).valid).toBe(true);
    // the trusted PEMs may come as one bundle
    expect(verifyAnafSignature(INVOICE, SIGNATURE, { trustedCertificates: [`${OTHER_CERT}\n${SIM.certificatePem}`] }).valid).toBe(true);
  });

  it('a UTF-8 byte order mark before the invoice does not matter', () => {
    expect(verifyAnafSignature(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), INVOICE]), SIGNATURE).valid).toBe(true);
  });

  it('tampered invoice: one byte of the content changed → invalid, digest mismatch', () => {
    const bytes = Buffer.from(INVOICE);
    const at = bytes.indexOf('12115118');
    expect(at).toBeGreaterThan(0);
    bytes[at] = '9'.charCodeAt(0);
    const v = verifyAnafSignature(bytes, SIGNATURE);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/does not match the signed digest/);
    expect(v.certificateSubject).toMatch(/CN=/);
  });

  it('tampered invoice: an element added → invalid', () => {
    const xml = edit(INVOICE.toString('utf8'), '</cbc:IssueDate>', '</cbc:IssueDate><cbc:Note>x</cbc:Note>');
    expect(verifyAnafSignature(xml, SIGNATURE)).toMatchObject({ valid: false, reason: expect.stringMatching(/digest/) });
  });

  it('tampered signature: SignatureValue changed → invalid, signature value does not verify', () => {
    const sig = edit(SIGNATURE, /<SignatureValue>(.)/, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
    const v = verifyAnafSignature(INVOICE, sig);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/SignatureValue does not verify/);
  });

  it('tampered signature: DigestValue changed to the digest of another document → invalid', () => {
    const other = signDetached(edit(INVOICE.toString('utf8'), '12115118', '99999999'), SIM);
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(other)![1]!;
    const sig = edit(SIGNATURE, /<DigestValue>[^<]+<\/DigestValue>/, `<DigestValue>${digest}</DigestValue>`);
    // the digest no longer matches the invoice (and SignedInfo no longer matches its signature value)
    expect(verifyAnafSignature(INVOICE, sig).valid).toBe(false);
  });

  it('tampered signature: the embedded certificate swapped for another one → invalid (the value does not verify with it)', () => {
    const sig = edit(SIGNATURE, b64(SIM.certificatePem), b64(OTHER_CERT));
    const v = verifyAnafSignature(INVOICE, sig);
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/SignatureValue does not verify/);
  });

  it('untrusted certificate: a valid signature by a certificate not in trustedCertificates → invalid', () => {
    const v = verifyAnafSignature(INVOICE, SIGNATURE, { trustedCertificates: [OTHER_CERT] });
    expect(v.valid).toBe(false);
    expect(v.reason).toMatch(/not a trusted certificate/);
    expect(verifyAnafSignature(INVOICE, SIGNATURE, { trustedCertificates: [] })).toMatchObject({ valid: false, reason: expect.stringMatching(/not a trusted/) });
  });

  it('missing or unusable signature files → invalid with the reason, never an exception', () => {
    expect(verifyAnafSignature(INVOICE, null)).toMatchObject({ valid: false, reason: expect.stringMatching(/missing or empty/) });
    expect(verifyAnafSignature(INVOICE, Buffer.alloc(0))).toMatchObject({ valid: false, reason: expect.stringMatching(/missing or empty/) });
    expect(verifyAnafSignature(INVOICE, '<Signature')).toMatchObject({ valid: false, reason: expect.stringMatching(/not well-formed/) });
    expect(verifyAnafSignature(INVOICE, '<a/>')).toMatchObject({ valid: false, reason: expect.stringMatching(/not an XMLDSig Signature/) });
    const noCert = edit(SIGNATURE, /<KeyInfo>[\s\S]*<\/KeyInfo>/, '');
    expect(verifyAnafSignature(INVOICE, noCert)).toMatchObject({ valid: false, reason: expect.stringMatching(/no KeyInfo/) });
    const badCert = edit(SIGNATURE, b64(SIM.certificatePem), 'AAAA');
    expect(verifyAnafSignature(INVOICE, badCert)).toMatchObject({ valid: false, reason: expect.stringMatching(/cannot be read/) });
    expect(verifyAnafSignature('<Invoice', SIGNATURE)).toMatchObject({ valid: false, reason: expect.stringMatching(/signed XML is not well-formed/) });
  });

  it('a reference to a fragment of the document (URI="#...") is refused: it would leave the rest unsigned', () => {
    const sig = edit(SIGNATURE, 'URI=""', 'URI="#part"');
    expect(verifyAnafSignature(INVOICE, sig)).toMatchObject({ valid: false, reason: expect.stringMatching(/URI="#part", not the whole document/) });
  });

  it('a trusted PEM that is not a certificate is a configuration error', () => {
    const err = (() => {
      try {
        verifyAnafSignature(INVOICE, SIGNATURE, { trustedCertificates: ['not a pem'] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AnafSignatureError);
    expect((err as AnafSignatureError).code).toBe('ANAF_TRUSTED_CERTIFICATE_INVALID');
  });
});

describe('readAnafZip / verifyAnafZip', () => {
  it('reads <index>.xml and semnatura_<index>.xml, bytes unchanged, and verifies them', async () => {
    const zip = await zipOf([
      { name: '5004552043.xml', content: INVOICE },
      { name: 'semnatura_5004552043.xml', content: SIGNATURE },
    ]);
    const read = await readAnafZip(zip);
    expect(read.indexIncarcare).toBe('5004552043');
    expect(read.xml.equals(INVOICE)).toBe(true);
    expect(read.signatureXml.toString('utf8')).toBe(SIGNATURE);
    const v = await verifyAnafZip(zip, { trustedCertificates: [SIM.certificatePem] });
    expect(v).toMatchObject({ indexIncarcare: '5004552043', verification: { valid: true } });
    expect(v.xml.equals(INVOICE)).toBe(true);
  });

  it('missing signature file: readAnafZip throws ANAF_ZIP_UNEXPECTED_CONTENT, verifyAnafZip reads the invoice with valid: false', async () => {
    const zip = await zipOf([{ name: '77.xml', content: INVOICE }]);
    await expect(readAnafZip(zip)).rejects.toMatchObject({ code: 'ANAF_ZIP_UNEXPECTED_CONTENT', files: ['77.xml'] });
    const v = await verifyAnafZip(zip);
    expect(v.signatureXml).toBeNull();
    expect(v.xml.equals(INVOICE)).toBe(true);
    expect(v.verification).toEqual({ valid: false, reason: 'no signature: the ZIP has no semnatura_77.xml' });
  });

  it('a ZIP with other files is refused with the list of names', async () => {
    const cases = [
      [{ name: 'semnatura_1.xml', content: SIGNATURE }],
      [{ name: '1.xml', content: INVOICE }, { name: '2.xml', content: INVOICE }],
      [{ name: '1.xml', content: INVOICE }, { name: 'semnatura_2.xml', content: SIGNATURE }],
      [{ name: '1.xml', content: INVOICE }, { name: 'semnatura_1.xml', content: SIGNATURE }, { name: 'readme.txt', content: 'x' }],
      [{ name: 'factura.xml', content: INVOICE }, { name: 'semnatura_factura.xml', content: SIGNATURE }],
    ];
    for (const files of cases) {
      const zip = await zipOf(files);
      const err = await readAnafZip(zip).catch((e: unknown) => e);
      expect(err, files.map((f) => f.name).join(',')).toBeInstanceOf(AnafSignatureError);
      expect((err as AnafSignatureError).code).toBe('ANAF_ZIP_UNEXPECTED_CONTENT');
      expect((err as AnafSignatureError).files).toEqual(files.map((f) => f.name));
    }
  });

  it('bytes that are not a ZIP → ANAF_ZIP_UNREADABLE', async () => {
    for (const bytes of [Buffer.from('{"eroare":"Nu exista mesaj"}'), Buffer.alloc(0), (await zipOf([{ name: '1.xml', content: INVOICE }])).subarray(0, 40)]) {
      await expect(readAnafZip(bytes)).rejects.toMatchObject({ name: 'AnafSignatureError', code: 'ANAF_ZIP_UNREADABLE' });
      await expect(verifyAnafZip(bytes)).rejects.toMatchObject({ code: 'ANAF_ZIP_UNREADABLE' });
    }
  });
});
