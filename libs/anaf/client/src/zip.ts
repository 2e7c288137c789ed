import yauzl from 'yauzl';

/** Reads every file of a ZIP held in memory. @throws Error when the buffer is not a readable ZIP. */
export function unzipBuffer(zip: Buffer): Promise<{ name: string; content: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, zf) => {
      if (err || !zf) return reject(err ?? new Error('cannot open zip'));
      const files: { name: string; content: Buffer }[] = [];
      zf.on('error', reject);
      zf.on('end', () => resolve(files));
      zf.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zf.readEntry();
        zf.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('cannot read zip entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.push({ name: entry.fileName, content: Buffer.concat(chunks) });
            zf.readEntry();
          });
        });
      });
      zf.readEntry();
    });
  });
}
