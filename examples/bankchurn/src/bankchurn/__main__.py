"""python -m bankchurn train | serve"""

from __future__ import annotations

import argparse

from bankchurn.config import load_config
from bankchurn.train import log_to_mlflow, save_model, train


def main() -> None:
    parser = argparse.ArgumentParser(prog="bankchurn")
    sub = parser.add_subparsers(dest="command", required=True)
    train_cmd = sub.add_parser("train", help="train, evaluate and save the model")
    train_cmd.add_argument("--mlflow", action="store_true", help="log to the local MLflow store")
    serve_cmd = sub.add_parser("serve", help="serve the API with uvicorn")
    serve_cmd.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    config = load_config()
    if args.command == "train":
        result = train(config)
        path = save_model(result.model, config.model_path)
        print(f"roc_auc={result.roc_auc:.3f} accuracy={result.accuracy:.3f} saved to {path.name}")
        if args.mlflow:
            print(f"mlflow run {log_to_mlflow(result, config, config.mlruns)}")
    else:
        import uvicorn

        uvicorn.run("bankchurn.api:app", host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
