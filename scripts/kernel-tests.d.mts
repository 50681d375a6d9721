export function committedAndAssembled(testUrl: string, name: string): Promise<{ committed: string; assembled: string }>;
export function differences(a: ArrayLike<number>, b: ArrayLike<number>): string[];
