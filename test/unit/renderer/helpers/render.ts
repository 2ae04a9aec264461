/// <reference lib="dom" />
// Rendering components against a fake API, with a fresh store and terminal registry per test.
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { createElement, type FunctionComponent } from 'react';
import { setApi } from '../../../../renderer/src/api/index.js';
import {
  resetTerminalRegistry,
  setTerminalViewFactory,
} from '../../../../renderer/src/terminal/registry-instance.js';
import { FakeLabApi } from './fake-api.js';
import { FakeTerminalView } from './fake-view.js';
import { resetStores } from './stores.js';

export interface Harness {
  api: FakeLabApi;
  views: Map<string, FakeTerminalView>;
}

export function setup(api = new FakeLabApi()): Harness {
  cleanup();
  resetTerminalRegistry();
  sessionStorage.clear();
  resetStores();
  setApi(api);
  const views = new Map<string, FakeTerminalView>();
  setTerminalViewFactory((node) => {
    const view = new FakeTerminalView(node);
    views.set(node, view);
    return view;
  });
  return { api, views };
}

export function show<P extends object>(component: FunctionComponent<P>, props: P): RenderResult {
  return render(createElement(component, props));
}
