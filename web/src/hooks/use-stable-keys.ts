import { useRef } from 'preact/hooks';

let nextKey = 0;

/**
 * Keys for rows of an editable list that stay with their row when an earlier row is removed or
 * rows are moved, so each row keeps its own typing state.
 */
export function useStableKeys(length: number) {
  const keys = useRef<number[]>([]);
  while (keys.current.length < length) keys.current.push(++nextKey);
  if (keys.current.length > length) keys.current.length = length;
  return {
    at: (index: number) => keys.current[index] ?? index,
    remove: (index: number) => {
      keys.current.splice(index, 1);
    },
    move: (from: number, to: number) => {
      const [key] = keys.current.splice(from, 1);
      if (key !== undefined) keys.current.splice(to, 0, key);
    },
  };
}
