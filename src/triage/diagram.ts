import type { CheckedPathway } from './bundle.js';
import type { Category, DispositionScale } from './disposition.js';
import { dxCode, edgesOf, isDxTarget, unsureEdge, urgencyBounds } from './graph.js';

/**
 * A pathway as a Mermaid flowchart: questions as diamonds (red-flag questions outlined in red),
 * answers as labelled arrows, outcomes as rounded boxes coloured by category. Paste the output
 * into any Mermaid viewer, or inside a ```mermaid block in Markdown on GitHub or in VS Code.
 */

const CATEGORY_CLASS: Record<Category, string> = {
  emergency: 'emergency',
  urgent: 'urgent',
  'non-urgent': 'nonurgent',
  'self-care': 'selfcare',
};

// NHS.UK palette: emergency red, warm yellow, NHS blue, green.
const CLASS_DEFS = [
  'classDef emergency fill:#d5281b,stroke:#8a1a12,color:#ffffff',
  'classDef urgent fill:#ffb81c,stroke:#b27d00,color:#212b32',
  'classDef nonurgent fill:#005eb8,stroke:#003087,color:#ffffff',
  'classDef selfcare fill:#007f3b,stroke:#00401e,color:#ffffff',
  'classDef question fill:#ffffff,stroke:#4c6272,color:#212b32',
  'classDef redflag fill:#ffffff,stroke:#d5281b,stroke-width:3px,color:#212b32',
];

function label(text: string, max = 90): string {
  const short = text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  return short.replace(/"/g, '#quot;').replace(/[<>]/g, '');
}

function vertex(id: string): string {
  return isDxTarget(id) ? `dx_${dxCode(id)}` : `n_${id.replace(/-/g, '_')}`;
}

export function pathwayDiagram(checked: CheckedPathway, scale: DispositionScale): string {
  const { pathway } = checked;
  const bounds = urgencyBounds(pathway, scale);
  const lines = ['flowchart TD', ...CLASS_DEFS.map((c) => `  ${c}`)];
  const outcomes = new Map<string, string>();

  for (const [id, node] of Object.entries(pathway.nodes)) {
    if (node.type === 'outcome') {
      outcomes.set(id, node.disposition);
      continue;
    }
    const cls = node.redFlag ? 'redflag' : 'question';
    lines.push(`  ${vertex(id)}{"${label(node.ask)}"}:::${cls}`);
    const edges = edgesOf(id, node);
    const unsure = unsureEdge(id, node, bounds, scale);
    const written = edges.some((e) => e.answer === 'unsure');
    for (const e of written ? edges : [...edges, unsure]) {
      const text = e.answer === 'unsure' && !written ? "Don't know (most urgent answer)" : e.label;
      const arrow = e.answer === 'unsure' ? '-.->' : '-->';
      lines.push(`  ${vertex(id)} ${arrow}|"${label(text, 40)}"| ${vertex(e.target)}`);
      if (isDxTarget(e.target)) {
        outcomes.set(e.target, dxCode(e.target));
      }
    }
  }
  for (const [id, code] of outcomes) {
    const d = scale.get(code);
    const name = isDxTarget(id) ? d.label : `${d.label} (${id})`;
    lines.push(`  ${vertex(id)}(["${label(name)}<br/>${code}"]):::${CATEGORY_CLASS[d.category]}`);
  }
  return `${lines.join('\n')}\n`;
}
