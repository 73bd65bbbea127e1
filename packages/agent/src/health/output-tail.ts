// The last bytes of a check's output, for the reason of a failure.

/** Keeps the last `max` bytes written to it. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly max = 512) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.max && this.chunks.length > 1) this.size -= this.chunks.shift()?.length ?? 0;
  }

  /** The tail as one trimmed line (newlines become `; `), or '' when there was no output. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all
      .subarray(Math.max(0, all.length - this.max))
      .toString('utf8')
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .join('; ');
  }
}

/** `exited with status N` plus the output, if any. */
export function describeExit(code: number | null, signal: string | null, output: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with status ${code ?? 'unknown'}`;
  return output ? `the check command ${how}: ${output}` : `the check command ${how}`;
}
