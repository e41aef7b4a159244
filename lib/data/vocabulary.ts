/**
 * A vocabulary maps raw ids (user ids, movie slugs) to dense indices 0..size-1
 * and back. Indices are handed out in first-seen order, so the same input in
 * the same order gives the same vocabulary.
 */
export class Vocabulary {
  private readonly byId = new Map<string, number>();
  private readonly ids: string[] = [];

  static from(ids: Iterable<string>): Vocabulary {
    const vocab = new Vocabulary();
    for (const id of ids) vocab.add(id);
    return vocab;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The index of `id`, adding it if it is new. */
  add(id: string): number {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const index = this.ids.length;
    this.ids.push(id);
    this.byId.set(id, index);
    return index;
  }

  /** The index of `id`, or -1 when it is not in the vocabulary. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /** The raw id at `index`; throws a RangeError for an index out of range. */
  idAt(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`index ${index} is outside a vocabulary of ${this.ids.length}`);
    return id;
  }

  /** The ids in index order (a copy). */
  toArray(): string[] {
    return this.ids.slice();
  }
}
