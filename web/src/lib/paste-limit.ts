/**
 * How many characters of a paste a field with `maxlength` will drop. The browser cuts a paste at
 * the limit without a word; the field uses this to say so. Counts UTF-16 code units, as
 * `maxlength` does.
 */
export function pasteOverflow(
	field: { value: string; selectionStart: number | null; selectionEnd: number | null },
	pasted: string,
	max: number
): number {
	const start = field.selectionStart ?? field.value.length;
	const end = field.selectionEnd ?? start;
	return Math.max(0, field.value.length - (end - start) + pasted.length - max);
}
