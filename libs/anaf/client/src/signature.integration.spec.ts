import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { conformanceDir } from '@cetate/platform-testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the ZIP comes from the real ANAF simulator
import { startAnafSimulator, type AnafSimulator } from '@cetate/anaf-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnafClient, readAnafZip, verifyAnafSignature, verifyAnafZip, type StareMesajResult } from './index.js';

const INVOICE = readFileSync(join(conformanceDir(), 'invoices/ro-phive/ubl_b2g_example1.xml'));
const SELLER = '1111111111';

let sim: AnafSimulator;
let client: AnafClient;

beforeAll(async () => {
  sim = await startAnafSimulator({ processingDelayMs: 100 });
  const token = await sim.issueAccessToken();
  client = new AnafClient({
    apiBaseUrl: `${sim.url}/test/FCTEL/rest`,
    tokenProvider: async () => token,
    timeoutMs: 2000,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    breaker: { enabled: false },
  });
});

afterAll(async () => {
  client?.shutdown();
  await sim?.close();
});

/** stareMesaj until the upload is processed (the simulator answers within its processing delay). */
async function processed(index: string): Promise<StareMesajResult> {
  const end = Date.now() + 10_000;
  for (;;) {
    const st = await client.stareMesaj(index);
    if (st.stare !== 'in prelucrare' || Date.now() > end) return st;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a descarcare ZIP of the ANAF simulator', () => {
  it('reads as <index>.xml + semnatura_<index>.xml, and its signature verifies against the simulator certificate only', async () => {
    const up = await client.upload(INVOICE, { cif: SELLER, standard: 'UBL' });
    const st = await processed(up.indexIncarcare);
    expect(st.stare).toBe('ok');
    const dl = await client.descarcare(st.idDescarcare!);

    const zip = await readAnafZip(dl.zip);
    expect(zip.indexIncarcare).toBe(up.indexIncarcare);
    expect(zip.xml.equals(INVOICE)).toBe(true);
    expect(zip.signatureXml.equals(dl.signatureXml)).toBe(true);

    const trusted = verifyAnafSignature(zip.xml, zip.signatureXml, { trustedCertificates: [sim.certificatePem] });
    expect(trusted).toMatchObject({ valid: true, certificateSubject: expect.stringMatching(/CN=/) });
    expect(trusted.certificateNotAfter!.getTime()).toBeGreaterThan(Date.now());
    expect((await verifyAnafZip(dl.zip, { trustedCertificates: [sim.certificatePem] })).verification.valid).toBe(true);
    // production trusts the Ministry of Finance's certificate, not the simulator's
    expect(verifyAnafSignature(zip.xml, zip.signatureXml, { trustedCertificates: [rootCertificates[0]!] })).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/not a trusted certificate/),
    });

    const tampered = Buffer.from(zip.xml.toString('utf8').replace('12115118', '12115119'));
    expect(verifyAnafSignature(tampered, zip.signatureXml, { trustedCertificates: [sim.certificatePem] })).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/does not match the signed digest/),
    });
  });
});
