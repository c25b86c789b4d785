// PDF building blocks for the reports officers print (rent statements, the evidence pack), on pdfkit:
// A4, the standard Helvetica faces (no font files to ship), black text on white with grey rules only,
// so a page reads the same printed in black and white; tables that break across pages with their header
// repeated; "Page N of M" on every page.
import PDFDocument from 'pdfkit';

type Doc = PDFKit.PDFDocument;

interface PdfReport {
  doc: Doc;
  /** Adds page numbers and the footer to every page, ends the document and resolves with its bytes. */
  finish(): Promise<Buffer>;
}

const MARGIN = 48;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const BODY_SIZE = 9;
const RULE = '#777777';

export function createPdfReport(options: { title: string; footer: string; createdAt: Date }): PdfReport {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: options.title, Creator: 'Rentline', CreationDate: options.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(FONT).fontSize(BODY_SIZE).fillColor('black');
  return {
    doc,
    async finish() {
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i += 1) {
        doc.switchToPage(i);
        // The footer sits in the bottom margin: lift the margin while writing it so pdfkit adds no page.
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        const y = doc.page.height - MARGIN;
        doc.font(FONT).fontSize(7.5).fillColor('black');
        doc.text(options.footer, MARGIN, y, { width: doc.page.width - 2 * MARGIN - 80, lineBreak: false });
        doc.text(`Page ${i - range.start + 1} of ${range.count}`, doc.page.width - MARGIN - 80, y, {
          width: 80,
          align: 'right',
          lineBreak: false,
        });
        doc.page.margins.bottom = bottom;
      }
      doc.end();
      return ended;
    },
  };
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function title(doc: Doc, text: string): void {
  doc
    .font(BOLD)
    .fontSize(16)
    .fillColor('black')
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  doc.font(FONT).fontSize(BODY_SIZE);
}

export function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 48);
  doc.moveDown(0.8);
  const x = doc.page.margins.left;
  doc
    .font(BOLD)
    .fontSize(12)
    .text(text, x, doc.y, { width: contentWidth(doc) });
  const y = doc.y + 2;
  doc
    .moveTo(x, y)
    .lineTo(x + contentWidth(doc), y)
    .lineWidth(0.8)
    .strokeColor('black')
    .stroke();
  doc.y = y + 5;
  doc.font(FONT).fontSize(BODY_SIZE);
}

export function paragraph(doc: Doc, text: string, options: { bold?: boolean } = {}): void {
  doc.font(options.bold ? BOLD : FONT).fontSize(BODY_SIZE);
  ensureRoom(doc, doc.heightOfString(text, { width: contentWidth(doc) }));
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.font(FONT);
  doc.moveDown(0.3);
}

/** "Label: value" lines, the labels bold in a column. */
export function keyValues(doc: Doc, rows: [string, string][]): void {
  const x = doc.page.margins.left;
  const labelWidth = 150;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    doc.font(FONT).fontSize(BODY_SIZE);
    const height = Math.max(doc.heightOfString(value, { width: valueWidth }), 11);
    ensureRoom(doc, height);
    const y = doc.y;
    doc.font(BOLD).text(label, x, y, { width: labelWidth - 6 });
    doc.font(FONT).text(value, x + labelWidth, y, { width: valueWidth });
    doc.y = y + height + 2;
  }
}

interface Column {
  header: string;
  /** A share of the page width; the shares of a table's columns add up to 1. */
  share: number;
  align?: 'left' | 'right';
}

/** A table with a bold header row, repeated at the top of every page it runs on to. */
export function table(doc: Doc, columns: Column[], rows: string[][]): void {
  const x0 = doc.page.margins.left;
  const width = contentWidth(doc);
  const widths = columns.map((c) => c.share * width);
  const pad = 3;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(BODY_SIZE);
    return (
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: (widths[i] as number) - 2 * pad }))) +
      2 * pad
    );
  };
  const drawRow = (cells: string[], font: string, ruleWidth: number, height = rowHeight(cells, font)) => {
    const y = doc.y;
    let x = x0;
    cells.forEach((cell, i) => {
      const w = widths[i] as number;
      doc
        .font(font)
        .fontSize(BODY_SIZE)
        .fillColor('black')
        .text(cell, x + pad, y + pad, { width: w - 2 * pad, align: columns[i]?.align ?? 'left' });
      x += w;
    });
    doc
      .moveTo(x0, y + height)
      .lineTo(x0 + width, y + height)
      .lineWidth(ruleWidth)
      .strokeColor(ruleWidth > 0.5 ? 'black' : RULE)
      .stroke();
    doc.y = y + height;
  };
  const header = columns.map((c) => c.header);
  const drawHeader = () => drawRow(header, BOLD, 0.8);
  ensureRoom(doc, rowHeight(header, BOLD) + 14);
  drawHeader();
  for (const row of rows) {
    const height = rowHeight(row, FONT);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawHeader();
    }
    drawRow(row, FONT, 0.3, height);
  }
  doc.x = x0;
  doc.moveDown(0.5);
}
