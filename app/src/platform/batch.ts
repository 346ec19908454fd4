/**
 * Collects calls made within `lingerMs` of each other (up to `maxSize`) and runs them as one batch.
 * `run` returns one result per input, in order; if it throws, every caller in the batch gets the error.
 * Under low load a call waits at most `lingerMs`; under a burst it turns N round trips into N / maxSize.
 *
 * With `maxInFlight`, at most that many batches run at once (group commit): calls arriving while every slot is busy
 * wait and go out together as soon as a batch finishes, so batches grow with the load instead of the number of
 * concurrent round trips (and pooled connections) growing.
 */
export class MicroBatcher<I, O> {
  private pending: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxSize: number,
    private readonly lingerMs: number,
    private readonly maxInFlight = Infinity,
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
    while (this.pending.length && this.inFlight < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxSize);
      this.inFlight++;
      let out: Promise<O[]>;
      try {
        out = this.run(batch.map((b) => b.input));
      } catch (err) {
        out = Promise.reject(err);
      }
      out
        .then(
          (res) => batch.forEach((b, i) => b.resolve(res[i])),
          (err) => batch.forEach((b) => b.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          // Whatever arrived meanwhile has already waited at least one batch: send it now.
          if (this.pending.length) this.flush();
        });
    }
  }
}
