/** Hands the comparison library to the Compare view's components, and reads its state. */
import { createContext, useContext, type ReactNode } from 'react';
import { useComparisons, type ComparisonLibrary, type ComparisonLibraryState } from '../../state/comparison-library';

const ComparisonContext = createContext<ComparisonLibrary | null>(null);

export function ComparisonLibraryProvider({ library, children }: { library: ComparisonLibrary; children: ReactNode }) {
  return <ComparisonContext.Provider value={library}>{children}</ComparisonContext.Provider>;
}

export function useComparisonLibrary(): ComparisonLibrary {
  const library = useContext(ComparisonContext);
  if (!library) throw new Error('useComparisonLibrary outside <ComparisonLibraryProvider>.');
  return library;
}

/** `selector` must return a part of the state (or a primitive), not a new object on each call. */
export function useComparisonState<S>(selector: (state: ComparisonLibraryState) => S): S {
  return useComparisons(useComparisonLibrary(), selector);
}
