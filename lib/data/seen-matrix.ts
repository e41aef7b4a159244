import type { Csr } from './csr.js';
import { csrFromCoo } from './csr.js';
import type { Interactions } from './interactions.js';
import { mapTestSet } from './build-train-set.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * Everything each user has watched or rated in `table`, in the index space of
 * `users` × `movies` (a model's vocabularies). Pairs whose user or movie the
 * vocabularies lack are dropped. Serving excludes these movies — including
 * ones a validation split held out of training.
 */
export function seenMatrix(table: Interactions, users: Vocabulary, movies: Vocabulary): Csr {
  const mapped = mapTestSet(table, users, movies);
  let n = 0;
  for (let e = 0; e < mapped.user.length; e++) if (mapped.user[e] >= 0 && mapped.movie[e] >= 0) n++;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const minutes = new Float32Array(n);
  for (let e = 0, w = 0; e < mapped.user.length; e++) {
    if (mapped.user[e] < 0 || mapped.movie[e] < 0) continue;
    rows[w] = mapped.user[e];
    cols[w] = mapped.movie[e];
    minutes[w] = mapped.minutes[e];
    w++;
  }
  return csrFromCoo(users.size, movies.size, rows, cols, minutes);
}
