/**
 * Collects calls made within `lingerMs` of each other (up to `maxSize`) and runs them as one batch.
 * `run` returns one result per input, in order; if it throws, every caller in the batch gets the error.
 * Under low load a call waits at most `lingerMs`; under a burst it turns N round trips into N / maxSize.
 */
export class MicroBatcher<I, O> {
  private pending: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxSize: number,
    private readonly lingerMs: number,
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxSize);
      this.run(batch.map((b) => b.input)).then(
        (out) => batch.forEach((b, i) => b.resolve(out[i])),
        (err) => batch.forEach((b) => b.reject(err)),
      );
    }
  }
}
