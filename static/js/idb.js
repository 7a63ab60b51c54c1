// A small promise wrapper over IndexedDB, for pages and the service worker alike.
// One database; each store keeps objects by their `id`.
const NAME = "eventmate";
const VERSION = 1;
const STORES = ["outbox"];

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
async function transaction(name, mode, work) {
  const db = await open();
  const tx = db.transaction(name, mode);
  const result = work(tx.objectStore(name));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const get = (store, id) => transaction(store, "readonly", (s) => s.get(id));
export const getAll = (store) => transaction(store, "readonly", (s) => s.getAll());
export const put = (store, value) => transaction(store, "readwrite", (s) => s.put(value));
export const remove = (store, id) => transaction(store, "readwrite", (s) => s.delete(id));

// Change one object in place (read and write in the same transaction); no-op when it's gone.
export function update(store, id, change) {
  return transaction(store, "readwrite", (s) => {
    const request = s.get(id);
    request.onsuccess = () => {
      if (request.result) s.put(change(request.result));
    };
  });
}
