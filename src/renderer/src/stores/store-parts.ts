// A Pinia store handed to another store's parts as the parts were written: refs stay refs
// (storeToRefs), functions stay functions. Pinia unwraps refs on the store object itself,
// so passing the store as is would turn `segments.value` into `undefined`.

import { storeToRefs, type StoreGeneric } from 'pinia';

export function partsOf<Parts>(store: StoreGeneric): Parts {
  return { ...store, ...storeToRefs(store) } as unknown as Parts;
}
