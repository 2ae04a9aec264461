// One per view: a view that throws while rendering shows what happened and a retry, and the
// rest of the page keeps working (never a blank screen).
import { Component, Fragment, type ReactNode } from 'react';
import { ErrorNotice } from './ErrorNotice.js';

interface Props {
  /** Names the view in the message: "The topology could not be shown". */
  name: string;
  children?: ReactNode;
}

interface State {
  error: Error | null;
  attempt: number;
}

export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    console.error(`view ${this.props.name} failed`, error);
  }

  private readonly retry = () => {
    // A new key remounts the children from scratch.
    this.setState((state) => ({ error: null, attempt: state.attempt + 1 }));
  };

  override render() {
    if (this.state.error) {
      return (
        <div className="view-failed">
          <ErrorNotice
            title={`${this.props.name} could not be shown`}
            error={{ message: this.state.error.message }}
            onRetry={this.retry}
          />
        </div>
      );
    }
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}
