import { afterEach, describe, expect, it } from 'vitest';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine';
import { Scene } from '@babylonjs/core/scene';
import { Quaternion, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { PlacedDocument, type Holder } from './PlacedDocument';

class Board extends PlacedDocument {
  readonly box: Mesh;
  constructor(scene: Scene, freeze: boolean) {
    super(scene, 'd1');
    this.freezeWhenStill = freeze;
    this.box = CreateBox('box', { size: 1 }, scene);
    this.box.parent = this.root;
    this.box.position.y = 1;
  }
  get halfHeight(): number {
    return 0.5;
  }
  protected showHolder(_holder: Holder | null): void {}
}

let engine: NullEngine | null = null;
afterEach(() => engine?.dispose());

function setup(freeze = true): Board {
  engine = new NullEngine();
  return new Board(new Scene(engine), freeze);
}

const settle = (doc: PlacedDocument) => {
  for (let i = 0; i < 200; i++) doc.update(16);
};

describe('PlacedDocument at rest', () => {
  it('lands exactly on the target and then freezes its meshes where the target puts them', () => {
    const doc = setup();
    doc.setTarget([0, 0, 0], [0, 0, 0, 1], 1);
    doc.setTarget([2, 0, -1], [0, 0, 0, 1], 1);
    doc.update(16);
    expect(doc.box.isWorldMatrixFrozen).toBe(false);
    settle(doc);
    expect(doc.position.asArray()).toEqual([2, 0, -1]);
    expect(doc.box.isWorldMatrixFrozen).toBe(true);
    expect(doc.box.getAbsolutePosition().asArray()).toEqual([2, 1, -1]);
  });

  it('thaws when moved again, by the server or by this browser, and follows the move', () => {
    const doc = setup();
    doc.setTarget([0, 0, 0], [0, 0, 0, 1], 1);
    settle(doc);
    expect(doc.box.isWorldMatrixFrozen).toBe(true);
    doc.setTarget([0, 0, 3], [0, 0, 0, 1], 1);
    doc.update(16);
    expect(doc.box.isWorldMatrixFrozen).toBe(false);
    settle(doc);
    expect(doc.box.getAbsolutePosition().z).toBe(3);

    doc.setLocal(true);
    doc.moveLocally(new Vector3(5, 0, 0), Quaternion.Identity());
    expect(doc.box.isWorldMatrixFrozen).toBe(false);
    expect(doc.box.computeWorldMatrix(true).getTranslation().x).toBe(5);
    doc.setLocal(false);
    settle(doc);
    expect(doc.box.isWorldMatrixFrozen).toBe(true);
    expect(doc.box.getAbsolutePosition().x).toBe(5);
  });

  it('never freezes a kind that did not ask (models may animate)', () => {
    const doc = setup(false);
    doc.setTarget([1, 0, 0], [0, 0, 0, 1], 1);
    settle(doc);
    expect(doc.box.isWorldMatrixFrozen).toBe(false);
  });
});
