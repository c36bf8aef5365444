/**
 * A chosen CSV file as text records, cut into signed-request-sized slices.
 *
 * The browser decodes the file once (UTF-16 with a BOM, UTF-8, else Windows-1252) and
 * sends UTF-8: every slice starts with the header row and ends at a record end (never
 * inside a quoted cell), and stays under the service's 1 MiB body limit.
 */

export const SLICE_BYTES = 1000 * 1024; // under 1 MiB, room for a rewritten header
const encoder = new window.TextEncoder();

/**
 * The file's text.
 *
 * @param {ArrayBuffer} buffer File bytes.
 * @return {string} Text.
 */
export function decode(buffer) {
	const bytes = new Uint8Array(buffer);
	if (bytes[0] === 0xff && bytes[1] === 0xfe) {
		return new window.TextDecoder('utf-16le').decode(bytes.subarray(2));
	}
	if (bytes[0] === 0xfe && bytes[1] === 0xff) {
		return new window.TextDecoder('utf-16be').decode(bytes.subarray(2));
	}
	try {
		return new window.TextDecoder('utf-8', {
			fatal: true,
			ignoreBOM: false,
		})
			.decode(bytes)
			.replace(/^\uFEFF/, '');
	} catch {
		return new window.TextDecoder('windows-1252').decode(bytes);
	}
}

/**
 * Records of a CSV text: [{ text, line }], a record ending at a line break outside quotes.
 * Blank records stay (the service skips them), so each slice's lines are the file's lines.
 *
 * @param {string} text CSV text.
 * @return {Array<Object>} Records with the file line each starts on.
 */
export function records(text) {
	const out = [];
	let start = 0;
	let line = 1;
	let startLine = 1;
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') {
			quoted = !quoted;
		} else if (c === '\n') {
			line++;
			if (!quoted) {
				push(out, text.slice(start, i + 1), startLine);
				start = i + 1;
				startLine = line;
			}
		}
	}
	push(out, text.slice(start), startLine);
	return out;
}

function push(out, piece, line) {
	if (piece !== '') {
		out.push({
			text: piece.endsWith('\n') ? piece : piece + '\n',
			line,
			blank: piece.trim() === '',
		});
	}
}

/**
 * The delimiter of a header record.
 *
 * @param {string} header Header record.
 * @return {string} Delimiter.
 */
export function delimiter(header) {
	let best = ',';
	let most = 0;
	[',', ';', '\t', '|'].forEach((d) => {
		const count = header.split(d).length - 1;
		if (count > most) {
			best = d;
			most = count;
		}
	});
	return best;
}

/**
 * Cells of one record (quotes and doubled quotes undone).
 *
 * @param {string} line Record text.
 * @param {string} sep  Delimiter.
 * @return {Array<string>} Cells.
 */
export function cells(line, sep) {
	const out = [];
	let cell = '';
	let quoted = false;
	const text = line.replace(/\r?\n$/, '');
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
			} else {
				cell += c;
			}
		} else if (c === '"') {
			quoted = true;
		} else if (c === sep) {
			out.push(cell);
			cell = '';
		} else {
			cell += c;
		}
	}
	out.push(cell);
	return out;
}

/**
 * One CSV record from cells (quoted where needed).
 *
 * @param {Array<string>} values Cells.
 * @param {string}        sep    Delimiter (a comma by default).
 * @return {string} Record with CRLF.
 */
export function record(values, sep = ',') {
	return (
		values
			.map((v) =>
				/["\r\n]/.test(v) || v.includes(sep)
					? '"' + v.replace(/"/g, '""') + '"'
					: v
			)
			.join(sep) + '\r\n'
	);
}

/**
 * Slices of at most SLICE_BYTES: [{ body, lineOffset, rows }], each with the header.
 *
 * @param {string}        header Header record to start each slice with.
 * @param {Array<Object>} rows   Data records.
 * @return {Array<Object>} Slices.
 */
export function slices(header, rows) {
	const out = [];
	const headerBytes = encoder.encode(header).length;
	let current = [];
	let size = headerBytes;
	const flush = () => {
		if (current.length) {
			out.push({
				body: header + current.map((r) => r.text).join(''),
				lineOffset: Math.max(0, current[0].line - 2),
				rows: current.length,
			});
		}
	};
	rows.forEach((row) => {
		const bytes = encoder.encode(row.text).length;
		if (size + bytes > SLICE_BYTES && current.length) {
			flush();
			current = [];
			size = headerBytes;
		}
		current.push(row);
		size += bytes;
	});
	flush();
	return out;
}
