export function App() {
  return (
    <main id="main">
      <h1>FinEdge</h1>
    </main>
  );
}
