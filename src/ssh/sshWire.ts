// The SSH wire encoding (RFC 4251 §5) used inside public-key blobs and the openssh-key-v1
// private-key container: uint32 big-endian lengths in front of byte strings.
import * as l10n from '@vscode/l10n';

/** Reads length-prefixed fields from a blob; every read throws WireError past the end. */
export class WireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  uint32(): number {
    if (this.remaining < 4) throw new WireError(l10n.t('truncated'));
    const value = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  bytes(): Buffer {
    const length = this.uint32();
    if (length > this.remaining) throw new WireError(l10n.t('truncated'));
    const value = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A string field that must be printable ASCII (key type names, curve names). */
  ascii(): string {
    const bytes = this.bytes();
    if (!/^[\x21-\x7e]*$/.test(bytes.toString('latin1'))) throw new WireError(l10n.t('not a name'));
    return bytes.toString('latin1');
  }
}

export class WireError extends Error {}

/** Builds a blob from fields; strings are written as UTF-8. */
export class WireWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.parts.push(b);
    return this;
  }

  string(value: string | Buffer): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  get length(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
