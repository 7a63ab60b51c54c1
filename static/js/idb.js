// A small promise wrapper over IndexedDB, for pages and the service worker alike.
// One database; each store keeps objects by their `id`: the outbox, and the copy of the user's
// contacts with the time of its last refresh and People's rows (people-store.js). A new store
// means a new VERSION, which pages kept from before a deploy (and the worker waiting for
// "Reload") can no longer open: keep new kinds of records in these stores where they fit.
const NAME = "eventmate";
const VERSION = 2;
const STORES = ["outbox", "people", "people-sync"];

let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      for (const store of STORES) {
        if (!request.result.objectStoreNames.contains(store)) {
          request.result.createObjectStore(store, { keyPath: "id" });
        }
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close(); // a newer version of the app wants to upgrade: let it
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

// Run `work(store)` in one transaction; resolves with its result once the transaction committed.
// `name`: a store, or a list of them for `work(...stores)`.
async function transaction(name, mode, work) {
  const db = await open();
  const tx = db.transaction(name, mode);
  const names = Array.isArray(name) ? name : [name];
  const result = work(...names.map((each) => tx.objectStore(each)));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const get = (store, id) => transaction(store, "readonly", (s) => s.get(id));
// `range`: an IDBKeyRange, e.g. one user's keys.
export const getAll = (store, range) => transaction(store, "readonly", (s) => s.getAll(range));
export const put = (store, value) => transaction(store, "readwrite", (s) => s.put(value));
export const remove = (store, id) => transaction(store, "readwrite", (s) => s.delete(id));

// Several reads in one transaction (one snapshot), of one store or a list of them.
export const read = (store, work) => transaction(store, "readonly", work);
// Several writes in one transaction, to one store or a list of them: all of them or none.
export const batch = (store, work) => transaction(store, "readwrite", work);

// Change one object in place (read and write in the same transaction); no-op when it's gone.
export function update(store, id, change) {
  return transaction(store, "readwrite", (s) => {
    const request = s.get(id);
    request.onsuccess = () => {
      if (request.result) s.put(change(request.result));
    };
  });
}
