/**
 * The kit models, one drawing function each. Each draws near its catalogue size (metres), standing
 * on y = 0 and facing +z, the side a person uses; the builder then fits it to the exact size.
 * Sizes must match `PROP_CATALOGUE` in shared/model/props.ts (the unit test checks they do).
 */
import { random } from './geometry.mjs';

const HALF_PI = Math.PI / 2;

/** Four legs (cylinders) at ±x, ±z from y = 0 up to `height`. */
function legs(m, x, z, height, radius, cell) {
  for (const sx of [-1, 1]) for (const sz of [-1, 1]) {
    m.withTransform({ offset: [sx * x, 0, sz * z] }, () => m.cylinder({ radiusBottom: radius * 0.8, radiusTop: radius, height, segments: 8, cell }));
  }
}

function desk(m) {
  m.box([-0.7, 0.71, -0.35], [0.7, 0.75, 0.35], 'woodLight', 0.012);
  legs(m, 0.64, 0.29, 0.71, 0.022, 'darkMetal');
  // modesty panel at the back, away from the person sitting at +z
  m.box([-0.6, 0.42, -0.3], [0.6, 0.7, -0.285], 'darkMetal');
  // a drawer unit under the right side
  m.box([0.2, 0.5, -0.27], [0.58, 0.7, 0.3], 'woodLight', 0.008);
  m.box([0.33, 0.59, 0.3], [0.45, 0.61, 0.315], 'metal');
}

function chair(m) {
  m.box([-0.25, 0.41, -0.22], [0.25, 0.48, 0.25], 'fabricBlue', 0.025);
  legs(m, 0.2, 0.19, 0.41, 0.014, 'metal');
  // back posts, then the padded back leaning slightly away from the seat
  for (const sx of [-1, 1]) m.box([sx * 0.19 - 0.012, 0.45, -0.215], [sx * 0.19 + 0.012, 0.62, -0.19], 'metal');
  m.withTransform({ offset: [0, 0.58, -0.19], rotations: [['x', -0.12]] }, () => m.box([-0.24, 0, -0.03], [0.24, 0.32, 0.03], 'fabricBlue', 0.02));
}

function meetingTable(m) {
  // a racetrack top: a slab with rounded ends
  const outline = [];
  const r = 0.6;
  const straight = 0.9;
  for (const [cx, start] of [[straight, -HALF_PI], [-straight, HALF_PI]]) {
    for (let i = 0; i <= 8; i++) {
      const a = start + (i / 8) * Math.PI;
      outline.push([cx + Math.cos(a) * r, Math.sin(a) * r]);
    }
  }
  prism(m, outline, 0.7, 0.75, 'woodDark');
  prism(m, outline.map(([x, z]) => [x * 0.97, z * 0.95]), 0.68, 0.7, 'darkMetal');
  for (const sx of [-1, 1]) {
    m.withTransform({ offset: [sx * 0.9, 0, 0] }, () => {
      m.box([-0.2, 0, -0.4], [0.2, 0.03, 0.4], 'darkMetal', 0.01);
      m.cylinder({ radiusBottom: 0.06, height: 0.68, segments: 8, cell: 'metal' });
    });
  }
}

function sofa(m) {
  const fabric = 'fabricGrey';
  m.box([-0.9, 0.07, -0.42], [0.9, 0.3, 0.42], fabric, 0.03);
  for (const sx of [-1, 1]) {
    m.box([sx * 0.9 - 0.1, 0.05, -0.425], [sx * 0.9 + 0.1, 0.62, 0.425], fabric, 0.05);
    m.box([sx * 0.82 - 0.04, 0, 0.3], [sx * 0.82 + 0.04, 0.07, 0.37], 'woodDark');
    m.box([sx * 0.82 - 0.04, 0, -0.37], [sx * 0.82 + 0.04, 0.07, -0.3], 'woodDark');
  }
  // two seat cushions towards the front (+z), the back cushions leaning back
  for (const sx of [-1, 1]) m.box([sx > 0 ? 0.005 : -0.8, 0.3, -0.2], [sx > 0 ? 0.8 : -0.005, 0.45, 0.42], fabric, 0.04);
  m.box([-0.8, 0.3, -0.425], [0.8, 0.62, -0.24], fabric, 0.04);
  for (const sx of [-1, 1]) {
    m.withTransform({ offset: [sx * 0.4, 0.42, -0.2], rotations: [['x', -0.25]] }, () => m.box([-0.395, 0, -0.08], [0.395, 0.43, 0.06], fabric, 0.05));
  }
}

function bench(m) {
  for (const z of [-0.155, 0, 0.155]) m.box([-0.9, 0.41, z - 0.07], [0.9, 0.45, z + 0.07], 'woodLight', 0.008);
  for (const sx of [-1, 1]) {
    m.box([sx * 0.68 - 0.03, 0, -0.2], [sx * 0.68 + 0.03, 0.41, -0.14], 'darkMetal');
    m.box([sx * 0.68 - 0.03, 0, 0.14], [sx * 0.68 + 0.03, 0.41, 0.2], 'darkMetal');
    m.box([sx * 0.68 - 0.03, 0.35, -0.21], [sx * 0.68 + 0.03, 0.41, 0.21], 'darkMetal');
  }
}

function shelf(m) {
  const wood = 'woodLight';
  for (const sx of [-1, 1]) m.box([sx * 0.585 - 0.015, 0, -0.175], [sx * 0.585 + 0.015, 1.8, 0.175], wood, 0.004);
  m.box([-0.57, 1.77, -0.175], [0.57, 1.8, 0.175], wood);
  m.box([-0.57, 0, -0.16], [0.57, 0.08, 0.16], wood);
  m.box([-0.57, 0.03, -0.175], [0.57, 1.77, -0.16], 'woodDark');
  const levels = [0.08, 0.5, 0.92, 1.34];
  for (const y of levels.slice(1)) m.box([-0.57, y - 0.025, -0.16], [0.57, y, 0.17], wood);
  // books, leaning a little where a row runs out, in a repeatable order
  const rand = random(7);
  const colours = ['red', 'blue', 'green', 'yellow', 'charcoal', 'white', 'woodDark'];
  for (const y of levels) {
    let x = -0.55 + rand() * 0.1;
    const end = 0.55 - rand() * 0.35;
    while (x < end) {
      const w = 0.025 + rand() * 0.035;
      const h = 0.2 + rand() * 0.12;
      const d = 0.18 + rand() * 0.06;
      m.box([x, y, -0.15], [x + w, y + h, -0.15 + d], colours[Math.floor(rand() * colours.length)]);
      x += w + 0.003;
    }
    if (x < 0.45) {
      m.withTransform({ offset: [x + 0.005, y, -0.15], rotations: [['z', -0.35]] }, () => m.box([0, 0, 0], [0.035, 0.24, 0.2], colours[Math.floor(rand() * colours.length)]));
    }
  }
}

function whiteboard(m) {
  // wall-mounted: the back at z = -0.05 against the wall, the marker tray sticking out to +z
  m.box([-1.17, 0.12, -0.045], [1.17, 1.98, -0.03], 'aluminium');
  m.box([-1.17, 0.12, -0.03], [1.17, 1.98, -0.02], 'white');
  const bar = (min, max) => m.box(min, max, 'aluminium', 0.006);
  bar([-1.2, 1.96, -0.05], [1.2, 2, -0.01]);
  bar([-1.2, 0.1, -0.05], [1.2, 0.14, -0.01]);
  for (const sx of [-1, 1]) bar([sx * 1.18 - 0.02, 0.1, -0.05], [sx * 1.18 + 0.02, 2, -0.01]);
  // the tray below the board, with two markers and an eraser on it
  m.box([-0.8, 0, -0.05], [0.8, 0.015, 0.05], 'aluminium');
  m.box([-0.8, 0, 0.04], [0.8, 0.035, 0.05], 'aluminium');
  m.box([-0.8, 0, -0.05], [0.8, 0.1, -0.04], 'aluminium');
  for (const [x, cell] of [[-0.35, 'blue'], [-0.2, 'red']]) {
    m.withTransform({ offset: [x, 0.027, 0], rotations: [['z', HALF_PI]] }, () => m.cylinder({ radiusBottom: 0.011, height: 0.13, y0: -0.065, segments: 8, cell, topCell: 'charcoal', bottomCell: 'charcoal' }));
  }
  m.box([0.25, 0.015, -0.03], [0.4, 0.045, 0.025], 'charcoal', 0.005);
}

function screen(m) {
  // a big display on a floor stand: the panel 16:9, its face towards +z
  for (const sx of [-1, 1]) {
    m.box([sx * 1.1 - 0.05, 0, -0.15], [sx * 1.1 + 0.05, 0.04, 0.15], 'darkMetal', 0.01);
    m.box([sx * 1.1 - 0.035, 0.04, -0.1], [sx * 1.1 + 0.035, 1.2, -0.04], 'darkMetal');
  }
  m.box([-1.6, 0.8, -0.06], [1.6, 2.6, 0.02], 'black', 0.015);
  m.box([-1.55, 0.85, 0.02], [1.55, 2.55, 0.025], 'screenGlass');
  m.box([-0.6, 1.3, -0.1], [0.6, 2.1, -0.06], 'black', 0.01);
  m.box([-0.04, 0.815, 0.02], [0.04, 0.83, 0.024], 'bulb');
}

function plinth(m) {
  m.box([-0.3, 0, -0.3], [0.3, 0.05, 0.3], 'charcoal', 0.005);
  m.box([-0.28, 0.05, -0.28], [0.28, 0.97, 0.28], 'stone', 0.006);
  m.box([-0.3, 0.97, -0.3], [0.3, 1, 0.3], 'stone', 0.008);
}

function lectern(m) {
  m.box([-0.25, 0, -0.22], [0.25, 0.04, 0.22], 'woodDark', 0.01);
  m.box([-0.17, 0.04, -0.17], [0.17, 0.92, 0.13], 'woodLight', 0.01);
  // the reading slope falls towards the reader at +z, with a lip that holds the papers
  const slope = (x, y, z) => [x, y, z];
  m.hexahedron(
    [slope(-0.3, 0.9, -0.25), slope(0.3, 0.9, -0.25), slope(-0.3, 1.15, -0.25), slope(0.3, 1.15, -0.25), slope(-0.3, 0.9, 0.25), slope(0.3, 0.9, 0.25), slope(-0.3, 0.99, 0.25), slope(0.3, 0.99, 0.25)],
    'woodDark',
  );
  m.box([-0.28, 0.99, 0.225], [0.28, 1.02, 0.25], 'woodDark');
  m.box([-0.17, 0.91, 0.13], [0.17, 0.92, 0.18], 'woodDark');
}

function lamp(m) {
  m.cylinder({ radiusBottom: 0.15, radiusTop: 0.14, height: 0.03, segments: 16, cell: 'darkMetal' });
  m.cylinder({ radiusBottom: 0.013, y0: 0.03, height: 1.36, segments: 8, cell: 'brass' });
  m.cylinder({ radiusBottom: 0.04, radiusTop: 0.04, y0: 1.32, height: 0.08, segments: 8, cell: 'bulb' });
  m.cylinder({ radiusBottom: 0.225, radiusTop: 0.15, y0: 1.38, height: 0.32, segments: 16, cell: 'shade', topCell: 'bulb', bottomCell: 'bulb' });
}

function spotlight(m) {
  // a wall plate (against the wall at -z), an arm out to a yoke, and a can aimed forward and down
  m.box([-0.06, 0.36, -0.175], [0.06, 0.5, -0.155], 'black', 0.004);
  m.box([-0.015, 0.415, -0.155], [0.015, 0.445, -0.02], 'black');
  m.box([-0.125, 0.395, -0.04], [0.125, 0.415, 0], 'black');
  for (const sx of [-1, 1]) m.box([sx * 0.115 - 0.01, 0.16, -0.04], [sx * 0.115 + 0.01, 0.415, 0], 'black');
  m.withTransform({ offset: [0, 0.18, -0.02], rotations: [['x', HALF_PI + 0.6]] }, () => {
    m.cylinder({ radiusBottom: 0.08, radiusTop: 0.09, y0: -0.1, height: 0.28, segments: 12, cell: 'black', topCell: 'bulb' });
  });
}

function plant(m) {
  m.cylinder({ radiusBottom: 0.15, radiusTop: 0.19, height: 0.34, segments: 12, cell: 'terracotta' });
  m.cylinder({ radiusBottom: 0.205, y0: 0.31, height: 0.05, segments: 12, cell: 'terracotta' });
  m.cylinder({ radiusBottom: 0.185, y0: 0.3, height: 0.065, segments: 12, cell: 'terracotta', topCell: 'soil' });
  const rand = random(11);
  const greens = ['leafLight', 'leafMid', 'leafDark'];
  const clusters = [[0, 1.08, 0, 0.19], [0.11, 0.86, 0.05, 0.17], [-0.11, 0.9, -0.04, 0.16], [0.03, 0.72, -0.12, 0.15], [-0.05, 0.66, 0.11, 0.14], [0.12, 0.58, -0.07, 0.12], [-0.13, 0.55, 0.02, 0.12]];
  clusters.forEach(([x, y, z, r], i) => {
    // a stem from the soil to each cluster
    const len = Math.hypot(x, y - 0.36, z);
    m.withTransform({ offset: [0, 0.36, 0], rotations: [['x', Math.asin(z / len)], ['z', Math.atan2(-x, y - 0.36)]] }, () =>
      m.cylinder({ radiusBottom: 0.012, radiusTop: 0.006, height: len * 0.85, segments: 4, cell: 'bark', caps: false }),
    );
    m.blob([x, y, z], [r * 1.2, r * 0.9, r * 1.2], greens[i % 3], { detail: 1, jitter: 0.12, seed: 100 + Math.floor(rand() * 1000) });
  });
}

function tree(m) {
  m.cylinder({ radiusBottom: 0.2, radiusTop: 0.11, height: 2.3, segments: 10, cell: 'bark' });
  for (const [angle, y, tilt] of [[0.4, 1.6, 0.7], [2.5, 1.8, 0.65], [4.4, 1.5, 0.75]]) {
    m.withTransform({ offset: [0, y, 0], rotations: [['z', -tilt], ['y', angle]] }, () => m.cylinder({ radiusBottom: 0.06, radiusTop: 0.03, height: 0.6, segments: 6, cell: 'bark', caps: false }));
  }
  // the canopy in layers, wide and low to small and high, each a little off the trunk's axis
  const layers = [
    [[0, 2.35, 0], [1.05, 0.6, 1.05], 'leafDark'],
    [[0.1, 2.95, -0.05], [0.85, 0.55, 0.85], 'leafMid'],
    [[-0.05, 3.5, 0.05], [0.55, 0.5, 0.55], 'leafLight'],
  ];
  layers.forEach(([c, r, cell], i) => m.blob(c, r, cell, { detail: 2, jitter: 0.08, seed: 31 + i }));
  for (const [x, y, z, r, cell] of [[0.75, 2.2, 0.5, 0.4, 'leafMid'], [-0.7, 2.3, -0.55, 0.42, 'leafMid'], [-0.6, 2.6, 0.6, 0.38, 'leafLight'], [0.6, 2.8, -0.5, 0.36, 'leafDark']]) {
    m.blob([x, y, z], [r, r * 0.8, r], cell, { detail: 1, jitter: 0.1, seed: Math.round(x * 100 + z * 10) + 500 });
  }
}

/**
 * A flat-topped slab whose outline (convex, [x, z] pairs) is extruded from y0 to y1: smooth sides,
 * flat top and bottom.
 */
function prism(m, outline, y0, y1, cell) {
  const n = outline.length;
  const inside = [0, (y0 + y1) / 2, 0];
  for (let i = 0; i < n; i++) {
    const [ax, az] = outline[i];
    const [bx, bz] = outline[(i + 1) % n];
    m.face([[ax, y0, az], [bx, y0, bz], [bx, y1, bz], [ax, y1, az]], inside, cell);
  }
  m.face(outline.map(([x, z]) => [x, y1, z]), inside, cell);
  m.face(outline.map(([x, z]) => [x, y0, z]), inside, cell);
}

/** Each kit: its file, its size at scale 1 (x, y, z metres) and how to draw it. */
export const KITS = {
  desk: { file: 'desk.glb', size: [1.4, 0.75, 0.7], draw: desk },
  chair: { file: 'chair.glb', size: [0.5, 0.9, 0.5], draw: chair },
  'meeting-table': { file: 'meeting-table.glb', size: [3, 0.75, 1.2], draw: meetingTable },
  sofa: { file: 'sofa.glb', size: [2, 0.85, 0.85], draw: sofa },
  bench: { file: 'bench.glb', size: [1.8, 0.45, 0.45], draw: bench },
  shelf: { file: 'shelf.glb', size: [1.2, 1.8, 0.35], draw: shelf },
  whiteboard: { file: 'whiteboard.glb', size: [2.4, 2, 0.1], draw: whiteboard },
  screen: { file: 'screen.glb', size: [3.2, 2.6, 0.3], draw: screen },
  plinth: { file: 'plinth.glb', size: [0.6, 1, 0.6], draw: plinth },
  lectern: { file: 'lectern.glb', size: [0.6, 1.15, 0.5], draw: lectern },
  lamp: { file: 'lamp.glb', size: [0.45, 1.7, 0.45], draw: lamp },
  spotlight: { file: 'spotlight.glb', size: [0.25, 0.5, 0.35], draw: spotlight },
  plant: { file: 'plant.glb', size: [0.6, 1.3, 0.6], draw: plant },
  tree: { file: 'tree.glb', size: [2.2, 4, 2.2], draw: tree },
};
